package web_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/golden"
)

// static/rules.json, the rule table the officer's form checks records
// with, is written from outbound.Rules(): the constants Validate applies.
// Change a rule in Go and this fails until the file is written again
// (go test ./web -run TestRulesFileIsCurrent -update).
func TestRulesFileIsCurrent(t *testing.T) {
	b, err := json.MarshalIndent(outbound.Rules(), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden.CheckFile(t, filepath.Join("static", "rules.json"), append(b, '\n'))
}
