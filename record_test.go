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

// The order of techniques and officers is not content; everything else,
// the seizures' order included, is. The stored hash is unchanged.
func TestSameContentIgnoresTheOrderOfSets(t *testing.T) {
	a := valid()
	a.Techniques = []outbound.Technique{outbound.Interview, outbound.Physical}
	a.Officers = []string{"B1234", "B5678"}
	a.Seizures = []outbound.Seizure{{Category: outbound.Currency, Quantity: 1, Unit: "USD", ValueUSD: 1},
		{Category: outbound.Firearms, Quantity: 2, Unit: "each", ValueUSD: 900}}
	hash := a.ContentHash()
	b := a
	b.Techniques = []outbound.Technique{outbound.Physical, outbound.Interview}
	b.Officers = []string{"B5678", "B1234"}
	if !outbound.SameContent(&a, &b) || !outbound.SameContent(&b, &a) {
		t.Fatal("reordered techniques and officers are not the same content")
	}
	if a.ContentHash() != hash || b.ContentHash() == hash || a.Officers[0] != "B1234" || a.Techniques[0] != outbound.Interview {
		t.Fatal("comparing changed a record or the stored hash's meaning")
	}
	c := b
	c.Seizures = []outbound.Seizure{a.Seizures[1], a.Seizures[0]}
	d := b
	d.Officers = []string{"B5678", "B1235"}
	e := b
	e.Techniques = []outbound.Technique{outbound.Physical}
	for name, other := range map[string]*outbound.Inspection{"seizures reordered": &c, "an officer changed": &d, "a technique dropped": &e} {
		if outbound.SameContent(&a, other) {
			t.Errorf("%s: counted as the same content", name)
		}
	}
	s1, s2 := outbound.Staffing{Notes: "a"}, outbound.Staffing{Notes: "b"}
	if outbound.SameContent(&s1, &s2) || !outbound.SameContent(&s1, &s1) {
		t.Error("a kind without sets is compared by its content hash")
	}
}
