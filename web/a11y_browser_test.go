package web_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

// axeWidths are the screens every page is checked at: a desk and a phone.
var axeWidths = []int64{1400, 360}

// axeSource is axe-core, vendored from npm for the tests only (see
// testdata/axe/README.md); the product never serves it.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// axeCheck runs axe-core on the page the browser shows, at each of
// axeWidths, and reports every serious or critical violation with its rule,
// the element it found and what to do.
func axeCheck(t *testing.T, ctx context.Context, src, page string) {
	t.Helper()
	waitFor(t, ctx, `document.readyState === 'complete'`)
	if !eval[bool](t, ctx, `typeof axe === 'object'`) {
		eval[bool](t, ctx, src+";\ntrue")
	}
	for _, w := range axeWidths {
		run(t, ctx, chromedp.EmulateViewport(w, 900))
		eval[bool](t, ctx, `new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(() => ok(true))))`)
		found := eval[[]string](t, ctx, `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
			.filter(v => v.impact === 'serious' || v.impact === 'critical')
			.flatMap(v => v.nodes.map(n => v.impact + ' ' + v.id + ' at ' + n.target.join(' > ') + ': ' + v.help + ' (' + v.helpUrl + ')')))`)
		for _, f := range found {
			t.Errorf("%s (%s) at %d px: %s", page, eval[string](t, ctx, `location.pathname + location.search`), w, f)
		}
	}
}

// richDemo adds to the demo data what the rarer parts of the pages show:
// a published gap standard and cost catalogue, a survey, a port node's
// report, and a record headquarters refused, set apart at crossing code.
func (s *site) richDemo(t *testing.T, code string) outbound.Inspection {
	t.Helper()
	ctx := testdb.System
	for kind, file := range map[string]string{outbound.GapStandard: "../gaps/testdata/standard.yaml", outbound.CostCatalogue: "../gaps/testdata/catalogue.yaml"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.PublishPlan(ctx, kind, file, src); err != nil {
			t.Fatal(err)
		}
	}
	yesterday := outbound.DateOf(time.Now().UTC()).AddDays(-1)
	survey := outbound.Survey{ID: uuid.New(), Crossing: code, Day: yesterday, OutboundLanes: 3, SecondaryBays: 1, WiFi: "poor", Cellular: "fair",
		Mbps: 2.5, Power: "grid", Equipment: []outbound.Equipment{{Type: "nii_xray", Count: 1, Condition: "out_of_service"}}, Hazards: []string{"lanes merge before the booth"}}
	if _, err := s.db.RecordSurveys(ctx, []outbound.Survey{survey}); err != nil {
		t.Fatal(err)
	}
	list, _, err := s.db.FindInspections(ctx, outbound.InspectionFilter{Filter: outbound.Filter{Crossing: code, Limit: 1}})
	if err != nil || len(list) == 0 {
		t.Fatalf("no demo inspection at %s: %v", code, err)
	}
	in := list[0]
	reason := "started_at: more than a day in the future"
	if err := s.db.SetApart(ctx, 1, &in, reason); err != nil {
		t.Fatal(err)
	}
	node := outbound.WithActor(context.Background(), &outbound.Actor{Name: "node-" + code, Role: outbound.Node, Crossings: []string{code}})
	err = s.db.ReportNode(node, outbound.NodeStatus{Version: "test", QueueDepth: 3, SetApartCount: 1,
		SetApart: []outbound.SetApart{{Kind: "inspection", ID: in.ID, Crossing: code, Reason: reason, SetApartAt: time.Now().UTC()}}})
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// Every page, with demo data, at a desk's and a phone's width, has no
// serious or critical accessibility violation that axe-core finds.
func TestAxeOnEveryPage(t *testing.T) {
	ctx := mustBrowser(t, 1400, 900)
	s := mustSite(t)
	s.demoData(t, 120)
	const sw, north = "9101", "9201"
	in := s.richDemo(t, sw)
	src := axeSource(t)
	check := func(path, page string) {
		t.Helper()
		run(t, ctx, chromedp.Navigate(s.url+path))
		axeCheck(t, ctx, src, page)
	}
	// shows fails unless the page checked last is the one meant.
	shows := func(page, text string) {
		t.Helper()
		if got := eval[string](t, ctx, `document.querySelector('main').innerText`); !strings.Contains(got, text) {
			t.Errorf("the %s page does not say %q:\n%.300s", page, text, got)
		}
	}
	s.atSignIn = func(page string) { axeCheck(t, ctx, src, page) }
	s.signIn(t, ctx, "hana", outbound.HQAnalyst, "/dashboard")
	s.atSignIn = nil
	check("/", "index")
	check("/dashboard", "dashboard")
	check("/crossings/"+sw, "crossing")
	shows("crossing", "Gaps against the")
	shows("crossing", "node-"+sw+": last sync")
	check("/crossings/"+north, "northern crossing")
	check("/inspections/"+in.ID.String(), "inspection")
	check("/reports", "reports")
	for _, name := range outbound.ReportNames {
		check("/reports/"+name, name+" report")
	}
	check("/reports/budget", "budget")
	shows("budget", "The arithmetic")
	check("/inspections/"+uuid.NewString(), "problem")
	shows("problem", "Not Found")
	check("/dashboard?from=2026-03-05&to=2026-03-01", "dashboard with a reversed period")
	check("/reports/budget?hourly_rate=-5", "budget with a refused assumption")
	signOut(t, ctx)

	s.deskConflict(t, sw)
	s.signIn(t, ctx, "sam", outbound.Supervisor, "/supervisor", sw)
	check("/supervisor", "supervisor desk with a record set apart")
	shows("supervisor desk", "Refused by headquarters")
	shows("supervisor desk", "differs")
	shift := eval[string](t, ctx, `document.querySelector('#staffing tbody tr a').getAttribute('href')`)
	check(shift, "supervisor desk changing a shift")
	shows("supervisor desk changing a shift", "Why it is changed")
	// A change refused for its hours: the form again, the problem at the field.
	run(t, ctx, chromedp.SetValue(chromedp.ID("e-hours_worked"), "9000"), chromedp.SendKeys(chromedp.ID("e-why"), "recount"), chromedp.Submit(chromedp.ID("e-why")))
	waitFor(t, ctx, `document.getElementById('e-hours_worked-error') !== null`)
	axeCheck(t, ctx, src, "supervisor desk with a refused change")
	check("/inspections/"+in.ID.String(), "inspection with its correction forms (supervisor)")
	shows("inspection (supervisor)", "Minutes it took")
	check("/survey", "survey")
	check("/capture", "form (supervisor)")
	check("/crossings/"+north, "forbidden")
	shows("forbidden", "Not allowed")
	signOut(t, ctx)

	s.signIn(t, ctx, "olga", outbound.Officer, "/capture", sw)
	check("/capture", "officer's form")
	// The outbox with a record refused (a phone clock two days ahead), and
	// with the form to correct it open.
	refusedAt := lane(uuid.NewString(), time.Now().Add(48*time.Hour))
	refusedAt["crossing"] = sw
	keepInPage(t, ctx, refusedAt)
	run(t, ctx, chromedp.Navigate(s.url+"/outbox"))
	waitFor(t, ctx, `document.getElementById('n-refused').textContent === '1'`)
	axeCheck(t, ctx, src, "outbox with a refused record")
	run(t, ctx, chromedp.Click(chromedp.CSS(`#refused li .actions button.btn:not(.secondary)`)))
	waitFor(t, ctx, `!document.getElementById('correct').hidden`)
	axeCheck(t, ctx, src, "outbox's correction form")
	check("/password", "password")
}

// signOut presses Sign out and waits for the sign-in page.
func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, chromedp.Click(chromedp.CSS(`.who button`)))
	waitFor(t, ctx, `!document.querySelector('.who') && document.readyState === 'complete'`)
}

// The charts and the map read at a desk's width and on a phone: chart
// text is at least 11 px as rendered, every chart has a visible title
// that names it, map markers are at least 10 px at a desk, and the map
// says each crossing's status by shape as well as colour, the legend
// showing the same shapes.
func TestChartsAndTheMapAreLegible(t *testing.T) {
	ctx := mustBrowser(t, 1400, 900)
	s := mustSite(t)
	s.demoData(t, 120)
	s.signIn(t, ctx, "hana", outbound.HQAnalyst, "/dashboard")
	for _, path := range []string{"/dashboard", "/reports/activity", "/reports/coverage"} {
		run(t, ctx, chromedp.Navigate(s.url+path))
		waitFor(t, ctx, `document.readyState === 'complete' && document.querySelector('svg.chart') !== null`)
		for _, w := range axeWidths {
			run(t, ctx, chromedp.EmulateViewport(w, 900))
			eval[bool](t, ctx, `new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(() => ok(true))))`)
			if small := eval[[]string](t, ctx, `[...document.querySelectorAll('svg.chart text')].map(e => {
				const px = parseFloat(getComputedStyle(e).fontSize) * e.getScreenCTM().a;
				return px < 11 ? e.textContent + ': ' + px.toFixed(1) + ' px' : '';
			}).filter(Boolean)`); len(small) > 0 {
				t.Errorf("%s at %d px: chart text under 11 px: %q", path, w, small)
			}
			if untitled := eval[[]string](t, ctx, `[...document.querySelectorAll('svg.chart')].filter(svg => {
				const c = svg.closest('figure') && svg.closest('figure').querySelector('figcaption');
				return !(c && c.textContent.trim() && c.getBoundingClientRect().height > 0 && svg.getAttribute('aria-labelledby') === c.id);
			}).map(svg => svg.outerHTML.slice(0, 80))`); len(untitled) > 0 {
				t.Errorf("%s at %d px: charts without a visible title: %q", path, w, untitled)
			}
		}
		run(t, ctx, chromedp.EmulateViewport(1400, 900))
	}
	if got := eval[string](t, ctx, `document.querySelector('#chart figcaption').textContent`); got != "All 14 crossings by coverage rate" {
		t.Errorf("the coverage chart's title: %q", got)
	}

	run(t, ctx, chromedp.Navigate(s.url+"/dashboard"))
	waitFor(t, ctx, `document.readyState === 'complete' && document.querySelectorAll('#map .dot').length === 12`)
	if small := eval[[]string](t, ctx, `[...document.querySelectorAll('#map .dot')].map(d => d.getBoundingClientRect())
		.filter(r => r.width < 10 || r.height < 10).map(r => r.width.toFixed(1) + 'x' + r.height.toFixed(1))`); len(small) > 0 {
		t.Errorf("map markers under 10 px at 1400 px: %v", small)
	}
	if titles := eval[[]string](t, ctx, `[...document.querySelectorAll('#chart-inspections figcaption, #chart-seizures figcaption')].map(c => c.textContent)`); len(titles) != 2 || titles[0] != "Inspections per week" || titles[1] != "Seizures per week" {
		t.Errorf("the trend charts' titles: %q", titles)
	}
	type shapes struct {
		Map []string
		Key string
	}
	// A marker's shape: its element, its corners, filled or hollow.
	got := eval[map[string]shapes](t, ctx, `(() => {
		const shape = e => e.tagName + ' ' + ((e.getAttribute('d') || '').match(/L/g) || []).length + ' corners, ' +
			(getComputedStyle(e).fill === 'rgb(255, 255, 255)' ? 'hollow' : 'filled');
		const out = {};
		for (const c of ['met', 'part', 'missed', 'nowindow']) {
			const key = document.querySelector('#map-legend .dot.' + c);
			out[c] = {Map: [...new Set([...document.querySelectorAll('#map .dot.' + c)].map(shape))], Key: key ? shape(key) : ''};
		}
		return out;
	})()`)
	seen := map[string]string{}
	for class, sh := range got {
		if sh.Key == "" {
			t.Errorf("the legend has no marker for %s", class)
		}
		if other, ok := seen[sh.Key]; ok {
			t.Errorf("%s and %s have the same shape (%s): only colour tells them apart", class, other, sh.Key)
		}
		seen[sh.Key] = class
		for _, m := range sh.Map {
			if m != sh.Key {
				t.Errorf("%s is drawn as %s on the map but %s in the legend", class, m, sh.Key)
			}
		}
	}
	if len(got) != 4 {
		t.Errorf("shapes: %v", got)
	}
	if os.Getenv("OUTBOUND_SCREENSHOTS") != "" {
		run(t, ctx, chromedp.Navigate(s.url+"/reports/activity"))
		waitFor(t, ctx, `document.readyState === 'complete'`)
		screenshot(t, ctx, "report.png")
	}
}

// The map's skip link, the first stop before it, takes the focus past
// all its links in one key press.
func TestSkipLinkPassesTheMap(t *testing.T) {
	ctx := mustBrowser(t, 1400, 900)
	s := mustSite(t)
	s.demoData(t, 30)
	s.signIn(t, ctx, "hana", outbound.HQAnalyst, "/dashboard")
	links := eval[int](t, ctx, `document.querySelectorAll('#map a').length`)
	if links != 12 {
		t.Fatalf("%d links on the map; want one a crossing", links)
	}
	tabTo(t, ctx, `e.classList.contains('skip-inline')`)
	if !eval[bool](t, ctx, `(r => r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight)(document.activeElement.getBoundingClientRect())`) {
		t.Fatal("the map's skip link is not visible when it has the focus")
	}
	// The next stop, without it, is the map's first crossing.
	run(t, ctx, chromedp.KeyEvent("\t"))
	if !eval[bool](t, ctx, `document.activeElement.closest('#map') !== null`) {
		t.Fatal("the skip link is not just before the map")
	}
	run(t, ctx, chromedp.KeyEvent("\t", chromedp.KeyModifiers(chromedp.ModifierShift)), chromedp.KeyEvent("\r"), chromedp.KeyEvent("\t"))
	if !eval[bool](t, ctx, `(e => e.closest('#map') === null && (document.getElementById('map').compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0)(document.activeElement)`) {
		t.Fatalf("after the skip link, the focus is on %s; want past the map's %d links", eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 120)`), links)
	}
	if !eval[bool](t, ctx, `document.activeElement.closest('#chart-inspections') !== null`) {
		t.Fatalf("after the skip link, the focus is on %s; want the first bar of the trend", eval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 120)`))
	}
}

// A period that ends before it starts, or a day that is no date, shows
// the page again with the problem under its field and what was asked in
// the form, the data of the default period below it; the budget's
// assumptions likewise.
func TestAWrongPeriodIsShownAtItsField(t *testing.T) {
	ctx := mustBrowser(t, 1400, 900)
	s := mustSite(t)
	s.demoData(t, 30)
	s.signIn(t, ctx, "hana", outbound.HQAnalyst, "/dashboard")
	const meanwhile = "Showing the last 90 days instead."
	for _, c := range []struct{ path, field, typed, says string }{
		{"/dashboard?from=2026-03-05&to=2026-03-01", "to", "2026-03-01", "to (2026-03-01) is before from (2026-03-05). " + meanwhile},
		{"/reports?from=2026-02-30", "from", "", `from "2026-02-30" is not a date`},
		{"/reports/activity?from=2026-03-05&to=2026-03-01&border=northern", "to", "2026-03-01", "is before from"},
		{"/crossings/9101?from=2026-03-05&to=2026-03-01", "to", "2026-03-01", "is before from"},
		{"/crossings/9101?from=1990-01-01&to=2026-03-01", "to", "2026-03-01", "at most 3661 are allowed. " + meanwhile},
		{"/reports/budget?hourly_rate=-5", "hr", "-5", "the hourly rate must be a number of dollars, 0 or more; the request below uses the default instead."},
	} {
		run(t, ctx, chromedp.Navigate(s.url+c.path))
		waitFor(t, ctx, `document.readyState === 'complete' && document.querySelector('h1') !== null`)
		if h1 := eval[string](t, ctx, `document.querySelector('h1').textContent`); strings.Contains(h1, "Bad Request") {
			t.Errorf("%s: the page is %q", c.path, h1)
			continue
		}
		field := `document.getElementById('` + c.field + `')`
		got := eval[struct {
			Invalid, Value, Message string
			Below                   float64
		}](t, ctx, `(i => { const m = document.getElementById(i.getAttribute('aria-describedby'));
			return {Invalid: i.getAttribute('aria-invalid') || '', Value: i.value, Message: m ? m.textContent : '',
				Below: m ? m.getBoundingClientRect().top - i.getBoundingClientRect().bottom : -1}; })(`+field+`)`)
		if got.Invalid != "true" || !strings.Contains(got.Message, c.says) || got.Value != c.typed || got.Below < 0 || got.Below > 24 {
			t.Errorf("%s: the %s field %+v; want it invalid, holding %q, with %q just under it", c.path, c.field, got, c.typed, c.says)
		}
	}
}
