package outbound

import (
	"context"
	"sync"
)

// Memo shares work within one request: a page's reports ask the database
// some of the same questions, at once. Values are shared, read-only.
type Memo struct{ m sync.Map }

type memoEntry struct {
	once sync.Once
	v    any
	err  error
}

type memoKey struct{}

// WithMemo returns a context that carries a new memo.
func WithMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, memoKey{}, &Memo{})
}

// Remember returns what fn returns for key, calling it once per memo:
// callers with the same key, at once or later, get the first call's
// result. Without a memo in ctx, it just calls fn.
func Remember[T any](ctx context.Context, key string, fn func() (T, error)) (T, error) {
	m, _ := ctx.Value(memoKey{}).(*Memo)
	if m == nil {
		return fn()
	}
	e, _ := m.m.LoadOrStore(key, &memoEntry{})
	entry := e.(*memoEntry)
	entry.once.Do(func() { entry.v, entry.err = fn() })
	v, _ := entry.v.(T)
	return v, entry.err
}
