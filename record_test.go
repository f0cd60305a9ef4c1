package outbound_test

import (
	"testing"

	"github.com/outbound-oss/outbound"
)

// Kinds are told apart by name and path everywhere, and a kind that nodes
// send needs a collection to send it to.
func TestKindsAreDistinctAndReachable(t *testing.T) {
	names, paths := map[string]bool{}, map[string]bool{}
	for _, k := range outbound.Kinds {
		if k.Name == "" || names[k.Name] || k.Plural == "" {
			t.Errorf("kind %+v: a name of its own and a plural are needed", k)
		}
		if k.Path != "" && paths[k.Path] {
			t.Errorf("kind %s shares the path %s", k.Name, k.Path)
		}
		if k.FromNodes && k.Path == "" {
			t.Errorf("nodes send %s, but they have no API path to be sent to", k.Plural)
		}
		if got, ok := outbound.KindNamed(k.Name); !ok || got != k {
			t.Errorf("KindNamed(%q) = %+v, %v", k.Name, got, ok)
		}
		names[k.Name], paths[k.Path] = true, true
	}
	if _, ok := outbound.KindNamed("vehicle"); ok {
		t.Error("KindNamed found a kind that does not exist")
	}
}
