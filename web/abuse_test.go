package web_test

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// TestAThousandMalformedRequests throws garbage at every write route and
// then checks that nothing changed and the server still answers.
func TestAThousandMalformedRequests(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		before := counts(t, a)
		head := auditHead(t, a)
		r := rand.New(rand.NewPCG(1, 2))
		valid := inspectionJSON(uuid.New())
		bodies := []func() []byte{
			func() []byte { b := make([]byte, r.IntN(2000)); fillRandom(r, b); return b },
			func() []byte { return []byte(strings.Repeat("[", r.IntN(5000))) },
			func() []byte {
				return []byte(`{"id":"` + uuid.NewString() + `","crossing":` + strings.Repeat("9", 400) + `}`)
			},
			func() []byte { return []byte(`[{"id":1},` + strings.Repeat(`"x",`, r.IntN(50)) + `null]`) },
			func() []byte { return []byte(`{"id":"` + uuid.NewString() + `","notes":"\ud800"}`) },
			func() []byte { // a valid inspection with one field broken
				m := map[string]any{}
				for k, v := range valid {
					m[k] = v
				}
				m["id"] = uuid.NewString()
				keys := []string{"started_at", "ended_at", "modality", "techniques", "officers", "outcome", "seizures", "crossing"}
				m[keys[r.IntN(len(keys))]] = []any{nil, 1e308, "", map[string]any{"x": 1}, []any{1, 2}}[r.IntN(5)]
				return mustJSON(m)
			},
		}
		paths := []string{"/api/v1/inspections", "/api/v1/staffing", "/api/v1/exits", "/api/v1/password"}
		statuses := map[int]int{}
		for i := range 1000 {
			req, _ := http.NewRequest("POST", a.url+paths[r.IntN(len(paths))], bytes.NewReader(bodies[r.IntN(len(bodies))]()))
			switch i % 10 {
			case 0:
				req.Header.Set("Authorization", "Bearer obt_"+uuid.NewString())
			case 1:
				req.Header.Set("Authorization", "Basic x")
			case 2:
				req.AddCookie(&http.Cookie{Name: "outbound_session", Value: "obs_forged"})
			default:
				req.Header.Set("Authorization", "Bearer "+a.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			resp.Body.Close()
			statuses[resp.StatusCode]++
			// 200 is a batch whose every item was refused; anything stored
			// would show in the counts below.
			if resp.StatusCode >= 500 || (resp.StatusCode < 400 && resp.StatusCode != 200) {
				t.Fatalf("request %d answered %d; want a refusal", i, resp.StatusCode)
			}
		}
		after := counts(t, a)
		for k, n := range before {
			if after[k] != n {
				t.Errorf("%s: %d before, %d after the garbage", k, n, after[k])
			}
		}
		if got := auditHead(t, a); got != head {
			t.Errorf("the audit log moved from %d to %d entries", head, got)
		}
		if status, _ := a.do("GET", "/healthz", nil); status != 200 {
			t.Fatalf("healthz after the garbage: %d", status)
		}
		if status, body := a.do("POST", "/api/v1/inspections", inspectionJSON(uuid.New())); status != 201 {
			t.Fatalf("a valid request after the garbage: %d %s", status, body)
		}
		t.Logf("statuses: %v", statuses)
	})
}

func auditHead(t *testing.T, a *api) int64 {
	t.Helper()
	var seq int64
	if err := a.db.SQL().QueryRowContext(testdb.System, `SELECT seq FROM audit_head`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	return seq
}

func fillRandom(r *rand.Rand, b []byte) {
	for i := range b {
		b[i] = byte(r.Uint32())
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
