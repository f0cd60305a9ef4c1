package sqldb

import (
	"context"
	"sync"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/tally"
)

// A request cache shares reads within one request: a page's reports ask
// the database some of the same questions, at once. It travels in the
// context, so that the services keep the domain's signatures; web starts
// one for a page through its RequestScope hook, which cmd wires to
// WithRequestCache. What it holds is shared between the readers: read-only.
type requestCache struct {
	sums onceMap[sumsKey, map[string]map[tally.Key]tally.Sums]
}

// sumsKey names one dimension's rollup sums over one period.
type sumsKey struct {
	dim      string
	from, to outbound.Date
	crossing string
	source   string
}

// cacheKey finds a database's request cache in a context: each database
// has its own, so two databases in one process never answer for each other.
type cacheKey struct{ db *DB }

// WithRequestCache returns a context that carries a new request cache of
// db's: within it, the same question to db is read once, however many
// callers ask it, at once or later. It fits web.Server's RequestScope.
func (db *DB) WithRequestCache(ctx context.Context) context.Context {
	return context.WithValue(ctx, cacheKey{db}, &requestCache{})
}

// cache returns the request cache ctx carries for db, or nil.
func (db *DB) cache(ctx context.Context) *requestCache {
	c, _ := ctx.Value(cacheKey{db}).(*requestCache)
	return c
}

// cachedSums returns read's sums for key, read once per request cache;
// without one in ctx, it just reads.
func (db *DB) cachedSums(ctx context.Context, key sumsKey, read func() (map[string]map[tally.Key]tally.Sums, error)) (map[string]map[tally.Key]tally.Sums, error) {
	c := db.cache(ctx)
	if c == nil {
		return read()
	}
	return c.sums.get(key, read)
}

// onceMap computes each key's value once: callers with the same key, at
// once or later, get the first call's result (an error too).
type onceMap[K comparable, V any] struct{ m sync.Map }

type onceEntry[V any] struct {
	once sync.Once
	v    V
	err  error
}

func (m *onceMap[K, V]) get(key K, fn func() (V, error)) (V, error) {
	e, _ := m.m.LoadOrStore(key, &onceEntry[V]{})
	entry := e.(*onceEntry[V])
	entry.once.Do(func() { entry.v, entry.err = fn() })
	return entry.v, entry.err
}
