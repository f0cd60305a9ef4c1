package outbound_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/outbound-oss/outbound"
)

// Within one memo a key's work runs once, for callers at once and later;
// without a memo it runs every time.
func TestRememberOncePerMemo(t *testing.T) {
	var calls atomic.Int64
	work := func() (int, error) { calls.Add(1); return 42, nil }
	ctx := outbound.WithMemo(context.Background())
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, err := outbound.Remember(ctx, "k", work); v != 42 || err != nil {
				t.Errorf("Remember = %d, %v", v, err)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("the work ran %d times in one memo; want once", n)
	}
	outbound.Remember(context.Background(), "k", work)
	outbound.Remember(context.Background(), "k", work)
	if n := calls.Load(); n != 3 {
		t.Fatalf("without a memo: %d calls in all; want 3", n)
	}
}
