package testdb

import (
	"strings"
	"testing"
)

func TestSummaryNamesWhatIsMissingAndWhatWasSkipped(t *testing.T) {
	missing.Lock()
	saved, savedFix := missing.skipped, missing.fix
	missing.skipped, missing.fix = map[string]int{}, map[string]string{}
	missing.Unlock()
	t.Cleanup(func() {
		missing.Lock()
		missing.skipped, missing.fix = saved, savedFix
		missing.Unlock()
	})
	if s := Summary(); s != "" {
		t.Fatalf("nothing skipped, yet the summary is %q", s)
	}
	// Counted as Skip counts them; a real skip here would fail CI, which
	// allows none.
	for range 2 {
		noteMissing("PostgreSQL", "set "+EnvPostgres+" to a DSN")
	}
	noteMissing("Chromium", "apt-get install chromium")
	want := "note: internal/testdb: Chromium missing, 1 test skipped (apt-get install chromium); " +
		"PostgreSQL missing, 2 tests skipped (set OUTBOUND_TEST_POSTGRES to a DSN)"
	if got := Summary(); got != want {
		t.Errorf("summary\n got %q\nwant %q", got, want)
	}
	if strings.Count(Summary(), "\n") != 0 {
		t.Error("the summary is more than one line")
	}
}
