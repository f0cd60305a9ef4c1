package web_test

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

func TestPrometheusMetrics(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		src, _ := os.ReadFile("../policy/testdata/policies/frequency.yaml")
		if _, _, err := a.db.PublishPolicy(testdb.System, "frequency.yaml", src); err != nil {
			t.Fatal(err)
		}
		node := mustToken(t, a.db, "node-2304", outbound.Node, "2304")
		a.as(node).do("POST", "/api/v1/sync/status", map[string]any{"version": "t", "schema": 1, "queue_depth": 42, "last_error": ""})
		a.do("POST", "/api/v1/inspections", inspectionJSON(uuid.New()))
		resp, err := http.Get(a.url + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{
			`outbound_records_ingested_total{kind="inspection"} 1`,
			`outbound_http_requests_total{route="POST /api/v1/inspections",status="201"} 1`,
			`outbound_http_request_duration_seconds_bucket{route="POST /api/v1/inspections"`,
			`outbound_sync_queue_depth{crossing="2304",node="node-2304"} 42`,
			// No inspection in the last four weeks of the real clock: no
			// window met at Laredo.
			"outbound_compliance_rate{border=\"southwest\"} 0\n",
		} {
			if !strings.Contains(string(body), want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		if strings.Contains(string(body), `outbound_compliance_rate{border="northern"}`) {
			t.Error("a compliance rate for the northern border, which has no crossing here")
		}
	})
}
