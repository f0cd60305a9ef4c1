package sqldb

import (
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
)

// The registry has one store per kind of outbound.Kinds, in its order: a
// store whose kind is missing there would be queued at a node and never
// pushed, and a kind without a store could not be stored at all.
func TestStoresFollowKinds(t *testing.T) {
	if len(stores) != len(outbound.Kinds) {
		t.Fatalf("%d stores for %d kinds", len(stores), len(outbound.Kinds))
	}
	for i, k := range outbound.Kinds {
		if got := stores[i].kind(); got != k {
			t.Errorf("store %d is for %s; outbound.Kinds has %s there", i, got.Name, k.Name)
		}
	}
}

// A node's sync queue never takes imported history: its audit action is
// none of those the queue picks records by.
func TestImportedHistoryIsNeverPushed(t *testing.T) {
	if strings.Contains(syncedActions(), importAction) || !strings.Contains(syncedActions(), "inspection.create") {
		t.Fatalf("the sync queue's actions: %s", syncedActions())
	}
}
