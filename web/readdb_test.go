package web

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// The routes that may read the read database are GET routes that exist.
func TestReadDBRoutesAreReads(t *testing.T) {
	routes := (&Server{}).Routes()
	for _, p := range readDBRoutes {
		if !slices.Contains(routes, p) || !strings.HasPrefix(p, "GET ") {
			t.Errorf("%s is not a GET route of the server", p)
		}
	}
}

// Reports read the copy only once a check found it up and no further
// behind than MaxLag.
func TestReadDBIsUsedWhileItKeepsUp(t *testing.T) {
	var lag time.Duration
	var down error
	h := &ReadDB{MaxLag: time.Minute, Check: func(context.Context) (time.Duration, error) { return lag, down }}
	s := &Server{ReadDB: h}
	s.readView = &Server{}
	for _, c := range []struct {
		lag    time.Duration
		down   error
		inUse  bool
		status string
	}{
		{0, nil, true, "ok, behind by 0s"},
		{2 * time.Second, nil, true, "ok, behind by 2s"},
		{2 * time.Minute, nil, false, "behind by 2m0s, more than 1m0s: reports read the primary"},
		{0, errors.New("connection refused"), false, "unavailable (connection refused): reports read the primary"},
	} {
		lag, down = c.lag, c.down
		h.Refresh(context.Background())
		if h.inUse() != c.inUse || h.status() != c.status || (s.reads() == s.readView) != c.inUse {
			t.Errorf("lag %v, error %v: in use %v, %q; want %v, %q", c.lag, c.down, h.inUse(), h.status(), c.inUse, c.status)
		}
	}
	if (&ReadDB{}).inUse() || (&ReadDB{}).status() != "not checked yet: reports read the primary" {
		t.Error("a copy never checked is in use")
	}
}

// Watch checks the copy every period until its context ends.
func TestReadDBWatchChecksEveryPeriod(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		checks := 0
		h := &ReadDB{Check: func(context.Context) (time.Duration, error) { checks++; return 0, nil }}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { h.Watch(ctx, 5*time.Second); close(done) }()
		time.Sleep(16 * time.Second)
		synctest.Wait()
		if checks != 4 {
			t.Errorf("%d checks in 16 s at one per 5 s; want 4", checks)
		}
		cancel()
		<-done
	})
}
