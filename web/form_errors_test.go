package web_test

import (
	"strings"
	"testing"
)

// A period, or a budget assumption, that the page's form can correct
// answers the page itself, 400, with the problem at its field, never the
// bare error page.
func TestAWrongFormValueAnswersThePage(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		for _, path := range []string{"/dashboard", "/reports", "/reports/coverage", "/crossings/2304"} {
			status, page := a.page(path + "?from=2026-03-05&to=2026-03-01")
			if status != 400 || !strings.Contains(page, `id="to" name="to" type="date" value="2026-03-01" required aria-invalid="true" aria-describedby="to-error"`) ||
				!strings.Contains(page, `<p class="error field-error" id="to-error" role="alert">to (2026-03-01) is before from (2026-03-05). Showing the last 90 days instead.</p>`) {
				t.Errorf("%s with a reversed period: %d %s", path, status, page)
			}
			if status, page := a.page(path + "?from=2026-13-01"); status != 400 || !strings.Contains(page, `id="from-error"`) {
				t.Errorf("%s with no such month: %d %s", path, status, page)
			}
		}
		// The budget's assumptions likewise, the rest on their defaults.
		for query, field := range map[string]string{"fiscal_year=abc": "fy", "fiscal_year=2027&hourly_rate=-5": "hr", "block_hours=30&target_rate=x": "tr"} {
			status, page := a.page("/reports/budget?" + query)
			if status != 400 || !strings.Contains(page, `aria-invalid="true" aria-describedby="`+field+`-error"`) || strings.Count(page, "field-error") != 1 ||
				!strings.Contains(page, "the request below uses the default instead.") {
				t.Errorf("the budget with %s: %d %s", query, status, page)
			}
		}
		if status, page := a.page("/reports/budget?fiscal_year=2027&hourly_rate=-5"); !strings.Contains(page, `name="hourly_rate" type="number" min="0" step="any" value="-5"`) ||
			!strings.Contains(page, "Budget request, fiscal year 2027") {
			t.Errorf("the budget keeps what was typed and the fiscal year asked: %d %s", status, page)
		}
		// A filter no form offers is still the error page.
		if status, page := a.page("/dashboard?border=eastern"); status != 400 || !strings.Contains(page, "<h1>Bad Request</h1>") {
			t.Errorf("an unknown border: %d %s", status, page)
		}
	})
}
