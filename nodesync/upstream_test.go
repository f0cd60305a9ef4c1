package nodesync_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
	"github.com/outbound-oss/outbound/web"
)

// upstream serves hq's API on 127.0.0.1 until the test ends and returns a
// client of it as Laredo's port node, as `outbound sync` makes one.
func upstream(t testing.TB, hq *sqldb.DB) *client.Client {
	t.Helper()
	if _, err := hq.AddUser(testdb.System, outbound.User{Name: "node-2304", Role: outbound.Node, Crossings: []string{"2304"}}); err != nil {
		t.Fatal(err)
	}
	_, token, err := hq.CreateToken(testdb.System, "node-2304", "", nil, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	schema, _ := hq.SchemaVersion(context.Background())
	srv := httptest.NewServer((&web.Server{Crossings: hq, Inspections: hq, Staffing: hq, Exits: hq, Surveys: hq,
		Lanes: hq, Funding: hq, Accounts: hq, Audit: hq, Sync: hq, Ping: hq.Ping}).Handler())
	t.Cleanup(srv.Close)
	c := client.New(srv.URL, token)
	c.Schema = schema
	return c
}
