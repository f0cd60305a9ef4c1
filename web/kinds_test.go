package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// Every kind of record with an API has its collection in openapi.json and
// on the server: the Go client posts one record of each kind (created,
// then replayed) and finds it in the list. The kinds come from
// outbound.Kinds, so a kind added there and forgotten in the API fails here.
func TestEveryKindHasItsAPI(t *testing.T) {
	doc := mustDoc(t)
	forEachServer(t, func(t *testing.T, a *api) {
		ctx := context.Background()
		// Nodes send every kind they record; funding is entered at headquarters.
		hana := mustToken(t, a.db, "hana", outbound.HQAnalyst)
		node, analyst := client.New(a.url, mustToken(t, a.db, "node-2304", outbound.Node, "2304")), client.New(a.url, hana)
		for _, k := range outbound.Kinds {
			if k.Path == "" {
				continue
			}
			item := doc.Paths.Find(k.Path)
			if item == nil || item.Post == nil || item.Get == nil {
				t.Errorf("openapi.json lacks POST and GET %s for %s", k.Path, k.Plural)
			}
			c := node
			if !k.FromNodes {
				c = analyst
			}
			r := testdb.Sample(t, k, "2304", clock)
			for _, want := range []outbound.Status{outbound.Created, outbound.Replayed} {
				if st, err := testdb.Record(ctx, c, r); err != nil || st != want {
					t.Fatalf("POST %s: %s, %v; want %s", k.Path, st, err, want)
				}
			}
			if status, body := a.as(hana).do("GET", k.Path+"?crossing=2304", nil); status != 200 ||
				!strings.Contains(string(body), r.RecordID().String()) {
				t.Errorf("GET %s: %d %s; want the record posted", k.Path, status, body)
			}
		}
	})
}
