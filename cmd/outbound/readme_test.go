package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound/demo"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// TestReadmePostExampleRecords posts the README's example inspection, as
// the README says, with the token of the demo user it names: the demo's
// crossings and users, a real server.
func TestReadmePostExampleRecords(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	at := strings.Index(text, "```sh\ncurl -X POST")
	if at < 0 {
		t.Fatal("README has no curl -X POST example")
	}
	block := text[at : at+strings.Index(text[at+3:], "```")+3]
	if !strings.Contains(block, `-H "Authorization: Bearer obt_..."`) {
		t.Fatalf("the POST example sends no token:\n%s", block)
	}
	body := block[strings.Index(block, "-d '")+4 : strings.LastIndex(block, "'")]
	intro := strings.TrimRight(text[:at], "\n")
	before := intro[strings.LastIndex(intro, "\n\n"):]
	user := regexp.MustCompile("`(demo-[a-z-]+)`").FindStringSubmatch(before)
	if user == nil {
		t.Fatalf("the paragraph before the POST example names no demo user: %q", before)
	}

	dsn := testdb.SQLite(t)
	ctx := context.Background()
	var out bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" }}
	db, err := m.open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	ports := demo.Ports(1, 20, 30)
	if err := db.SavePorts(testdb.System, ports); err != nil {
		t.Fatal(err)
	}
	if err := m.demoUsers(testdb.System, db, ports); err != nil {
		t.Fatal(err)
	}
	db.Close()
	tokens := map[string]string{}
	for _, line := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(line); len(f) > 1 && strings.HasPrefix(f[len(f)-1], "obt_") {
			tokens[f[0]] = f[len(f)-1]
		}
	}
	// The example lists the demo user's own badge, as the demo prints it:
	// an officer records only inspections that list theirs.
	badge := regexp.MustCompile(`"officers": \["([^"]+)"`).FindStringSubmatch(body)
	if badge == nil || !regexp.MustCompile(`(?m)^\s*`+user[1]+`\s+\S+\s+`+badge[1]+`\s`).MatchString(out.String()) {
		t.Errorf("the example's first badge %q is not the one the demo prints for %s:\n%s", badge, user[1], out.String())
	}
	url, stop := serve(t, "serve", "--db", dsn, "--addr", "127.0.0.1:0")
	defer stop()
	for _, c := range []struct {
		user string
		want int
	}{{"demo-hq-analyst", http.StatusForbidden}, {user[1], http.StatusCreated}} {
		req, _ := http.NewRequest("POST", url+"/api/v1/inspections", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tokens[c.user])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("the README's POST as %s: %d; want %d", c.user, resp.StatusCode, c.want)
		}
	}
}
