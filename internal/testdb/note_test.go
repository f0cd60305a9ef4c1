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
	t.Setenv(EnvPostgres, "")
	for range 2 {
		t.Run("postgres", func(t *testing.T) { Postgres(t) })
	}
	t.Run("browser", func(t *testing.T) { Skip(t, "Chromium", "apt-get install chromium") })
	want := "note: internal/testdb: Chromium missing, 1 test skipped (apt-get install chromium); " +
		"PostgreSQL missing, 2 tests skipped (set OUTBOUND_TEST_POSTGRES to a DSN)"
	if got := Summary(); got != want {
		t.Errorf("summary\n got %q\nwant %q", got, want)
	}
	if strings.Count(Summary(), "\n") != 0 {
		t.Error("the summary is more than one line")
	}
}
