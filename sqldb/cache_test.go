package sqldb

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/tally"
)

// Within one request cache a key's read runs once, for callers at once
// and later; without a cache, or with another database's, it runs every
// time.
func TestRequestCacheReadsOncePerRequest(t *testing.T) {
	var calls atomic.Int64
	want := map[string]map[tally.Key]tally.Sums{"2304": {{Dim: "all"}: {Inspections: 42}}}
	read := func() (map[string]map[tally.Key]tally.Sums, error) { calls.Add(1); return want, nil }
	db, other := &DB{}, &DB{}
	day := outbound.DateOf(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	key := sumsKey{dim: "all", from: day, to: day.AddDays(6), crossing: "2304"}
	ctx := db.WithRequestCache(context.Background())
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := db.cachedSums(ctx, key, read); v["2304"][tally.Key{Dim: "all"}].Inspections != 42 || err != nil {
				t.Errorf("cachedSums = %v, %v", v, err)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("the read ran %d times in one request; want once", n)
	}
	db.cachedSums(context.Background(), key, read)
	other.cachedSums(ctx, key, read)
	if n := calls.Load(); n != 3 {
		t.Fatalf("without this database's cache: %d reads in all; want 3", n)
	}
	key.crossing = "3004"
	db.cachedSums(ctx, key, read)
	if n := calls.Load(); n != 4 {
		t.Fatalf("another key in the same request: %d reads in all; want 4", n)
	}
}
