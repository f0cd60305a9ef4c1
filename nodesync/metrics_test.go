package nodesync_test

import (
	"context"
	"maps"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/alert"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/nodesync"
	"github.com/outbound-oss/outbound/web"
)

// metricsOf scrapes a server built on the fly for the database: its
// database samples are read at the scrape, not from an earlier one.
func metricsOf(t *testing.T, s *web.Server) []alert.Sample {
	t.Helper()
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	samples, err := alert.Scrape(context.Background(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return samples
}

// wantSample fails the test unless the sample is there with the value.
func wantSample(t *testing.T, samples []alert.Sample, name string, labels map[string]string, want float64) {
	t.Helper()
	for _, s := range samples {
		if s.Name == name && maps.Equal(s.Labels, labels) {
			if s.Value != want {
				t.Errorf("%s%v = %v; want %v", name, labels, s.Value, want)
			}
			return
		}
	}
	t.Errorf("/metrics lacks %s%v", name, labels)
}

// A record headquarters refuses is set apart at the node, and both ends'
// /metrics say so after the real round: headquarters' of the node (from
// its report), the node's of itself; the OutboundRecordsSetApart rule
// fires on each. A node that stops syncing goes stale at headquarters,
// and at the node itself.
func TestSetApartAndStaleNodesInMetrics(t *testing.T) {
	testdb.ForEach(t, func(t *testing.T, dsn string) {
		hq := testdb.Open(t, dsn, testdb.Laredo)
		refusePoison(t, hq)
		up := upstream(t, hq)
		nodeDSN := testdb.SQLite(t)
		if hq.Dialect() == "postgres" {
			nodeDSN = testdb.Postgres(t)
		}
		node := testdb.Open(t, nodeDSN, testdb.Laredo)
		poisoned := laneInspection(time.Now().Add(-time.Hour))
		poisoned.Notes = "poison"
		mustRecordAt(t, node, poisoned, laneInspection(time.Now().Add(-2*time.Hour)))
		s := &nodesync.Syncer{DB: node, Upstream: up}
		if rep, err := s.Round(context.Background()); err != nil || rep.SetApart != 1 {
			t.Fatalf("round: %+v, %v; want one set apart", rep, err)
		}

		atHQ := func() *web.Server { return &web.Server{Crossings: hq, Sync: hq, Ping: hq.Ping} }
		got := metricsOf(t, atHQ())
		them := map[string]string{"node": "node-2304", "crossing": "2304"}
		wantSample(t, got, web.MetricSyncSetApart, them, 1)
		wantSample(t, got, web.MetricSyncNodeStale, them, 0)
		wantSample(t, got, web.MetricSyncQueueDepth, them, 0)
		firing(t, got, "OutboundRecordsSetApart", them)
		i := slices.IndexFunc(got, func(s alert.Sample) bool { return s.Name == web.MetricSyncLastSuccess })
		if i < 0 {
			t.Errorf("/metrics lacks %s", web.MetricSyncLastSuccess)
		} else if at := time.UnixMilli(int64(got[i].Value * 1000)); time.Since(at).Abs() > time.Minute || !maps.Equal(got[i].Labels, them) {
			t.Errorf("the node's last success: %+v; want now", got[i])
		}

		atNode := func() *web.Server {
			return &web.Server{Crossings: node, SetApart: node, Ping: node.Ping, Role: "port",
				Local: func(ctx context.Context) (outbound.LocalSync, error) { return s.Local(ctx, "2304") }}
		}
		got = metricsOf(t, atNode())
		self := map[string]string{"node": "self", "crossing": "2304"}
		wantSample(t, got, web.MetricSyncSetApart, self, 1)
		wantSample(t, got, web.MetricSyncNodeStale, self, 0)
		firing(t, got, "OutboundRecordsSetApart", self)

		// A day and more without a sync, on each side's clock.
		later := func() time.Time { return time.Now().Add(25 * time.Hour) }
		hq.Now = later
		wantSample(t, metricsOf(t, atHQ()), web.MetricSyncNodeStale, them, 1)
		n := atNode()
		n.Now = later
		got = metricsOf(t, n)
		wantSample(t, got, web.MetricSyncNodeStale, self, 1)
		firing(t, got, "OutboundNodeNotSyncing", self)
	})
}

// firing fails the test unless the rule fires for the series with those
// labels over the samples.
func firing(t *testing.T, samples []alert.Sample, rule string, labels map[string]string) {
	t.Helper()
	e := &alert.Evaluator{}
	for _, a := range e.Evaluate(time.Now(), samples) {
		l := maps.Clone(a.Labels)
		delete(l, "alertname")
		delete(l, "severity")
		if a.Name() == rule && maps.Equal(l, labels) {
			return
		}
	}
	t.Errorf("%s does not fire for %v", rule, labels)
}
