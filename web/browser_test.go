package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/demo"
	"github.com/outbound-oss/outbound/internal/testdb"
	"github.com/outbound-oss/outbound/sqldb"
)

// chromium is Debian's browser; OUTBOUND_CHROMIUM names another.
func chromium() string {
	if p := os.Getenv("OUTBOUND_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

// mustBrowser starts headless Chromium with a profile of its own, kept
// across reloads of the test's pages. Without Chromium the test skips,
// unless OUTBOUND_REQUIRE_BROWSER is set (CI sets it): then it fails.
func mustBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	ctx, stop := startBrowser(t, filepath.Join(t.TempDir(), "profile"), width, height)
	t.Cleanup(stop)
	return ctx
}

// startBrowser starts Chromium on a profile directory, at the size of the
// screen the test stands for; stop closes it, and a later start on the
// same directory is the same browser restarted.
func startBrowser(t *testing.T, profile string, width, height int) (context.Context, func()) {
	t.Helper()
	if _, err := os.Stat(chromium()); err != nil {
		if os.Getenv("OUTBOUND_REQUIRE_BROWSER") != "" {
			t.Fatalf("no browser at %s, and OUTBOUND_REQUIRE_BROWSER is set: install Debian's chromium", chromium())
		}
		testdb.Skip(t, "Chromium at "+chromium(), "apt-get install chromium, or set OUTBOUND_CHROMIUM")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium()), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.UserDataDir(profile), chromedp.WindowSize(width, height))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	// The first run starts the browser: no timeout on it.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatal(err)
	}
	return ctx, func() {
		// Close gracefully, as a person closing the browser does: the
		// profile (cookies, IndexedDB) is written to disk.
		tctx, tcancel := context.WithTimeout(ctx, 10*time.Second)
		defer tcancel()
		chromedp.Cancel(tctx)
		cancel()
		cancelAlloc()
	}
}

// site is a real server over a real SQLite file, with Laredo and Blaine.
type site struct {
	url string
	db  *sqldb.DB
	// atSignIn, when set, runs on the sign-in page and on the page that
	// asks for a new password, as signIn passes them.
	atSignIn func(page string)
	// down, when set, has the server drop every connection, as a network
	// that is down does: the browser's offline emulation (offline) does not
	// reach the service worker's own requests.
	down *atomic.Bool
}

func mustSite(t *testing.T) *site {
	t.Helper()
	db := testdb.Open(t, "sqlite:"+filepath.Join(t.TempDir(), "ui.db"), testdb.Laredo, testdb.Blaine)
	h := newServer(db)
	h.Now = nil // the demo data ends yesterday, by the real clock
	handler, down := h.Handler(), new(atomic.Bool)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			panic(http.ErrAbortHandler)
		}
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &site{url: srv.URL, db: db, down: down}
}

// signIn adds a user, signs in through the sign-in page with the
// one-time password, chooses a new one, and lands on next.
func (s *site) signIn(t *testing.T, ctx context.Context, name string, role outbound.Role, next string, crossings ...string) {
	t.Helper()
	s.signInAs(t, ctx, outbound.User{Name: name, Role: role, Crossings: crossings}, next)
}

// signInAs is signIn for a user described in full (a badge, say).
func (s *site) signInAs(t *testing.T, ctx context.Context, u outbound.User, next string) {
	t.Helper()
	name := u.Name
	password, err := s.db.AddUser(testdb.System, u)
	if err != nil {
		t.Fatal(err)
	}
	run(t, ctx, chromedp.Navigate(s.url+next), chromedp.WaitVisible(chromedp.ID("password")))
	if s.atSignIn != nil {
		s.atSignIn("sign-in")
	}
	run(t, ctx,
		chromedp.SendKeys(chromedp.ID("name"), name),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Submit(chromedp.ID("password")),
	)
	// Loaded before it is typed into: the browser renumbers a page's
	// nodes once more when it has loaded, and a node found before that
	// can no longer be typed into.
	waitFor(t, ctx, `location.pathname === '/password' && document.readyState === 'complete'`)
	if s.atSignIn != nil {
		s.atSignIn("new password")
	}
	run(t, ctx,
		chromedp.SendKeys(chromedp.ID("old"), password),
		chromedp.SendKeys(chromedp.ID("new"), "a long enough password"),
		chromedp.Submit(chromedp.ID("new")),
	)
	waitFor(t, ctx, `location.pathname === `+jsString(strings.SplitN(next, "?", 2)[0])+` && document.readyState === 'complete'`)
}

func run(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits until a JavaScript expression is true, across page loads.
func waitFor(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		var ok bool
		if ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")")); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + (document.body ? document.body.innerText : "")`))
	t.Fatalf("waiting for %s: %v\n%s", expr, err, text)
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func jsString(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

// offline cuts the browser's network (requests fail, navigator.onLine is
// false), or restores it.
func offline(t *testing.T, ctx context.Context, off bool) {
	t.Helper()
	conds := []*network.Conditions{}
	if off {
		conds = append(conds, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	yes := off
	run(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule,
			network.EmulateNetworkConditionsByRuleParams{EmulateOfflineServiceWorker: &yes, MatchedNetworkConditions: conds}); err != nil {
			return err
		}
		_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}))
}

// inspections returns every stored inspection at Laredo.
func (s *site) inspections(t *testing.T) []outbound.Inspection {
	t.Helper()
	list, _, err := s.db.FindInspections(testdb.System, outbound.InspectionFilter{Filter: outbound.Filter{Crossing: "2304", Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// An officer signs in on a phone and records a routine inspection in a
// few taps; it is stored once, with what was chosen.
func TestOfficerRecordsThroughTheForm(t *testing.T) {
	ctx := mustBrowser(t, 360, 780)
	s := mustSite(t)
	s.signIn(t, ctx, "olga", outbound.Officer, "/capture", "2304")
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Fatalf("the form is %d px wide on a 360 px screen", w)
	}
	if small := eval[[]string](t, ctx, `[...document.querySelectorAll('.chips label, button, select, input:not([type=hidden]):not([type=radio]):not([type=checkbox])')]
		.filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44).map(e => e.textContent || e.id)`); len(small) > 0 {
		t.Fatalf("touch targets under 44 px high: %q", small)
	}
	run(t, ctx,
		chromedp.SendKeys(chromedp.ID("officers"), "b1234, B5678"),
		chromedp.Click(chromedp.CSS(`label[for="m-truck"]`)),
	)
	tapRecord(t, ctx)
	waitFor(t, ctx, allSent)
	got := s.inspections(t)
	if len(got) != 1 || got[0].Modality != outbound.Truck || strings.Join(got[0].Officers, ",") != "B1234,B5678" || got[0].Outcome != outbound.NoFinding {
		t.Fatalf("stored: %+v", got)
	}
	// The next one is one tap: the form remembers the officers and choices.
	run(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("record")))
	tapRecord(t, ctx)
	waitFor(t, ctx, allSent)
	if got := s.inspections(t); len(got) != 2 || got[0].Modality != outbound.Truck {
		t.Fatalf("after the second tap: %d stored", len(got))
	}
}

// Three inspections recorded with the network cut wait on the device,
// survive a reload with no network, and arrive exactly once when it
// comes back.
func TestOfflineRecordsArriveExactlyOnce(t *testing.T) {
	ctx := mustBrowser(t, 390, 844)
	s := mustSite(t)
	s.signIn(t, ctx, "olga", outbound.Officer, "/capture", "2304")
	// The service worker must hold the form before the network goes.
	run(t, ctx, chromedp.Reload())
	waitFor(t, ctx, `navigator.serviceWorker.controller !== null`)
	run(t, ctx, chromedp.SendKeys(chromedp.ID("officers"), "B1234"))
	offline(t, ctx, true)
	waitFor(t, ctx, `document.getElementById('net').textContent === 'Offline'`)
	for i := 1; i <= 3; i++ {
		tapRecord(t, ctx)
		waitFor(t, ctx, `document.getElementById('waiting').textContent === '`+string(rune('0'+i))+`'`)
	}
	waitFor(t, ctx, `document.getElementById('toast').textContent.endsWith('· 3 waiting')`)
	if got := s.inspections(t); len(got) != 0 {
		t.Fatalf("%d arrived with the network cut", len(got))
	}
	run(t, ctx, chromedp.Reload())
	waitFor(t, ctx, `document.getElementById('waiting') && document.getElementById('waiting').textContent === '3'`)
	offline(t, ctx, false)
	waitFor(t, ctx, `document.getElementById('waiting').textContent === '0'`)
	got := s.inspections(t)
	ids := map[string]bool{}
	for _, in := range got {
		ids[in.ID.String()] = true
	}
	if len(got) != 3 || len(ids) != 3 {
		t.Fatalf("%d arrived (%d ids); want each of the three once", len(got), len(ids))
	}
	// Nothing is sent twice after another reload.
	run(t, ctx, chromedp.Reload())
	waitFor(t, ctx, `document.getElementById('lastsync').textContent !== 'never'`)
	if last := text(t, ctx, "#lastsync"); !regexp.MustCompile(`^\d\d:\d\d$`).MatchString(last) {
		t.Errorf("last sent: %q; want today's time as the Record bar writes it (17:28)", last)
	}
	if got := s.inspections(t); len(got) != 3 {
		t.Fatalf("%d after a reload; want 3", len(got))
	}
}

// Records kept offline survive closing the browser: started again on the
// same profile, with the network back, the form sends them, each once,
// seizures included.
func TestOfflineRecordsSurviveABrowserRestart(t *testing.T) {
	profile := filepath.Join(t.TempDir(), "profile")
	ctx, stop := startBrowser(t, profile, 390, 844)
	s := mustSite(t)
	s.signIn(t, ctx, "olga", outbound.Officer, "/capture", "2304")
	run(t, ctx, chromedp.Reload())
	waitFor(t, ctx, `navigator.serviceWorker.controller !== null`)
	run(t, ctx, chromedp.SendKeys(chromedp.ID("officers"), "B1234"))
	offline(t, ctx, true)
	tapRecord(t, ctx)
	waitFor(t, ctx, `document.getElementById('waiting').textContent === '1'`)
	// A seizure, added inline: choosing the outcome opens its row.
	run(t, ctx, chromedp.Click(chromedp.CSS(`label[for="o-seizure"]`)))
	waitFor(t, ctx, `document.querySelector('#seizures [data-f=quantity]') !== null`)
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#seizures [data-f=category]`), "firearms"),
		chromedp.SendKeys(chromedp.CSS(`#seizures [data-f=quantity]`), "2"),
		chromedp.SendKeys(chromedp.CSS(`#seizures [data-f=value_usd]`), "1700"))
	tapRecord(t, ctx)
	waitFor(t, ctx, `document.getElementById('waiting').textContent === '2'`)
	stop()
	if got := s.inspections(t); len(got) != 0 {
		t.Fatalf("%d arrived with the network cut", len(got))
	}

	ctx, stop = startBrowser(t, profile, 390, 844)
	defer stop()
	run(t, ctx, chromedp.Navigate(s.url+"/capture"))
	waitFor(t, ctx, `document.getElementById('waiting') && document.getElementById('waiting').textContent === '0' && document.getElementById('lastsync').textContent !== 'never'`)
	got := s.inspections(t)
	if len(got) != 2 {
		t.Fatalf("%d arrived after the restart; want 2", len(got))
	}
	var seized []outbound.Seizure
	for _, in := range got {
		seized = append(seized, in.Seizures...)
	}
	if len(seized) != 1 || seized[0].Category != outbound.Firearms || seized[0].Quantity != 2 || seized[0].ValueUSD != 1700 {
		t.Fatalf("seizures stored: %+v; want 2 firearms worth 1700", seized)
	}
}

// tabTo presses Tab until the focused element matches a JavaScript test,
// and fails if it never does: the element is out of keyboard reach.
func tabTo(t *testing.T, ctx context.Context, test string) {
	t.Helper()
	for range 80 {
		if eval[bool](t, ctx, "(e => !!e && ("+test+"))(document.activeElement)") {
			return
		}
		run(t, ctx, chromedp.KeyEvent("\t"))
	}
	t.Fatalf("Tab never reached an element where %s", test)
}

// The form can be used with the keyboard alone: every field has a label,
// the skip link comes first, choices move with the arrow keys, and Enter
// records.
func TestFormByKeyboardAlone(t *testing.T) {
	ctx := mustBrowser(t, 390, 844)
	s := mustSite(t)
	s.signIn(t, ctx, "olga", outbound.Officer, "/capture", "2304")
	unlabelled := eval[[]string](t, ctx, unlabelledControls)
	if len(unlabelled) > 0 {
		t.Fatalf("controls without a label: %v", unlabelled)
	}
	if low := eval[[]string](t, ctx, lowContrast); len(low) > 0 {
		t.Fatalf("text under WCAG AA contrast: %q", low)
	}
	run(t, ctx, chromedp.KeyEvent("\t"))
	if got := eval[string](t, ctx, `document.activeElement.textContent`); got != "Skip to content" {
		t.Fatalf("the first Tab stop is %q; want the skip link", got)
	}
	tabTo(t, ctx, `e.name === 'modality'`)
	run(t, ctx, chromedp.KeyEvent(kb.ArrowRight))
	tabTo(t, ctx, `e.id === 'officers'`)
	run(t, ctx, chromedp.KeyEvent("B4242"))
	tabTo(t, ctx, `e.id === 'record'`)
	run(t, ctx, chromedp.KeyEvent("\r"))
	waitFor(t, ctx, allSent)
	got := s.inspections(t)
	if len(got) != 1 || got[0].Modality != outbound.Truck || got[0].Officers[0] != "B4242" {
		t.Fatalf("recorded by keyboard: %+v; want a truck inspection by B4242", got)
	}
	// Disabled while saving, Record gets the focus back once it opens again.
	waitFor(t, ctx, `document.activeElement.id === 'record' && !document.activeElement.disabled`)
}

// demoData fills the site with the demo's crossings (on the real borders,
// with coordinates), its policy, and days of demo records ending
// yesterday.
func (s *site) demoData(t *testing.T, days int) {
	t.Helper()
	ports := demo.Ports(1, 6, 6)
	if err := s.db.SavePorts(testdb.System, ports); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.db.PublishPolicy(testdb.System, "demo policy", demo.Policy); err != nil {
		t.Fatal(err)
	}
	today := outbound.DateOf(time.Now().UTC())
	var batch demo.Day
	flush := func() error {
		if _, err := s.db.RecordInspections(testdb.System, batch.Inspections); err != nil {
			return err
		}
		if _, err := s.db.RecordStaffing(testdb.System, batch.Staffing); err != nil {
			return err
		}
		_, err := s.db.RecordExits(testdb.System, batch.Exits)
		batch = demo.Day{}
		return err
	}
	err := demo.Generate(demo.Config{Seed: 1, From: today.AddDays(-days), To: today.AddDays(-1)}, ports, func(d demo.Day) error {
		batch.Inspections = append(batch.Inspections, d.Inspections...)
		batch.Staffing = append(batch.Staffing, d.Staffing...)
		batch.Exits = append(batch.Exits, d.Exits...)
		if len(batch.Inspections) > 500 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		t.Fatal(err)
	}
}

// The dashboard, with demo data, draws the map of the borders with every
// crossing on it and the trend charts, and its figures lead to the
// reports they come from.
func TestDashboardDrawsTheMapAndCharts(t *testing.T) {
	ctx := mustBrowser(t, 1280, 900)
	s := mustSite(t)
	s.demoData(t, 120)
	s.signIn(t, ctx, "hq", outbound.HQAnalyst, "/dashboard")
	waitFor(t, ctx, `document.querySelectorAll('#map .dot').length === 12`)
	waitFor(t, ctx, `performance.getEntriesByType('resource').some(e => e.name.includes('/static/states.svg') && e.responseStatus === 200)`)
	if n := eval[int](t, ctx, `[...document.querySelectorAll('#chart-inspections rect.bar')].filter(r => r.getBBox().height > 1).length`); n < 10 {
		t.Fatalf("%d weekly bars with inspections; want about 17", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#chart-seizures rect.bar').length`); n < 10 {
		t.Fatalf("%d seizure bars", n)
	}
	// The map's outline drew: the image has its size in the page.
	if w := eval[float64](t, ctx, `document.querySelector('#map svg').getBoundingClientRect().width`); w < 300 {
		t.Fatalf("the map is %g px wide", w)
	}
	if low := eval[[]string](t, ctx, lowContrast); len(low) > 0 {
		t.Fatalf("text under WCAG AA contrast: %q", low)
	}
	figures := eval[[]string](t, ctx, `[...document.querySelectorAll('.figures a')].map(a => a.textContent.replace(/\s+/g, ' ').trim() + ' -> ' + a.getAttribute('href'))`)
	if len(figures) != 7 || !strings.Contains(figures[2], "Inspections -> /reports/activity?") {
		t.Fatalf("figures: %q", figures)
	}
	if os.Getenv("OUTBOUND_SCREENSHOTS") != "" {
		screenshot(t, ctx, "dashboard.png")
	}
}

// screenshot writes the page to docs/screenshots (make screenshots).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("..", "docs", "screenshots", name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A crossing's page shows its calendar of days with and without outbound
// inspections, and its inspections, filtered by modality.
func TestCrossingPageCalendar(t *testing.T) {
	ctx := mustBrowser(t, 1280, 900)
	s := mustSite(t)
	s.demoData(t, 120)
	s.signIn(t, ctx, "hq", outbound.HQAnalyst, "/crossings/9201") // Blaine-like: inspects on some days
	days := eval[int](t, ctx, `document.querySelectorAll('#calendar .day:not(.pad)').length`)
	yes := eval[int](t, ctx, `document.querySelectorAll('#calendar .day.yes').length`)
	if days != 90 || yes == 0 || yes == days {
		t.Fatalf("calendar: %d days, %d with inspections; want 90 days, some of each", days, yes)
	}
	if heading := eval[string](t, ctx, `document.getElementById('cal-h').textContent`); heading != "Outbound coverage: "+itoa(yes)+" of 90 days" {
		t.Fatalf("calendar heading %q with %d green days", heading, yes)
	}
	// Each month is under its name, each day under its weekday.
	months := eval[[]string](t, ctx, `[...document.querySelectorAll('#calendar .month')].map(m => {
		const heads = [...m.querySelectorAll('.head')];
		const off = [...m.querySelectorAll('.day:not(.pad)')].filter(d => {
			const day = new Date(d.getAttribute('aria-label').slice(0, 10) + 'T12:00:00Z');
			const col = heads[(day.getUTCDay() + 6) % 7].getBoundingClientRect();
			return Math.abs(d.getBoundingClientRect().left - col.left) > 1 ||
				day.toLocaleString('en-US', {month: 'long', year: 'numeric', timeZone: 'UTC'}) !== m.querySelector('h3').textContent;
		});
		return m.querySelector('h3').textContent + (off.length ? ' misplaces ' + off.map(d => d.getAttribute('aria-label')).join(', ') : '');
	})`)
	from := time.Now().UTC().AddDate(0, 0, -90)
	var want []string
	for m := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); m.Before(time.Now().UTC().AddDate(0, 0, -1)); m = m.AddDate(0, 1, 0) {
		want = append(want, m.Format("January 2006"))
	}
	if strings.Join(months, "; ") != strings.Join(want, "; ") {
		t.Fatalf("the calendar's months: %q; want %q, each day under its month and weekday", months, want)
	}
	// Times are Blaine's, with its zone, in the one format.
	if n := eval[int](t, ctx, `document.querySelectorAll('#inspections tbody tr').length`); n == 0 {
		t.Fatal("no inspection listed to read the time of")
	}
	if odd := eval[[]string](t, ctx, `[...document.querySelectorAll('#inspections tbody td:first-child')].map(td => td.textContent)
		.filter(s => !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} P[SD]T$/.test(s))`); len(odd) > 0 {
		t.Fatalf("times not in Blaine's zone, or in another format: %q", odd)
	}
	if os.Getenv("OUTBOUND_SCREENSHOTS") != "" {
		screenshot(t, ctx, "crossing.png")
	}
	run(t, ctx, chromedp.SetValue(chromedp.ID("modality"), "truck"), chromedp.Submit(chromedp.ID("modality")))
	waitFor(t, ctx, `location.search.includes('modality=truck') && document.readyState === 'complete'`)
	modalities := eval[[]string](t, ctx, `[...document.querySelectorAll('#inspections tbody tr td:nth-child(2)')].map(td => td.textContent)`)
	for _, m := range modalities {
		if m != "truck" {
			t.Fatalf("filtered by trucks, the list shows %q", m)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// unlabelledControls lists the page's controls that have no label.
const unlabelledControls = `[...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
	.filter(e => e.closest('template') === null && !(e.labels && e.labels.length) && !e.textContent.trim() && !e.getAttribute('aria-label'))
	.map(e => e.outerHTML)`

// lowContrast lists text whose colour against its background is under
// WCAG AA: 4.5:1, or 3:1 for large text.
const lowContrast = `(() => {
  const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0) return c; } return [255, 255, 255]; };
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('svg') || e.offsetParent === null) continue;
    const text = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
    if (!text) continue;
    const s = getComputedStyle(e);
    const a = lum(rgb(s.color)), b = lum(bg(e));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const large = parseFloat(s.fontSize) >= 24 || (parseFloat(s.fontSize) >= 18.66 && Number(s.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) out.push(text.slice(0, 40) + ' ' + ratio.toFixed(2));
  }
  return out;
})()`
