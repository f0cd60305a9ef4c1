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

// deskConflict has crossing code's port node send a staffing record for
// a shift headquarters holds: a conflict kept for the desk.
func (s *site) deskConflict(t *testing.T, code string) {
	t.Helper()
	list, _, err := s.db.FindStaffing(testdb.System, outbound.Filter{Crossing: code, Limit: 1})
	if err != nil || len(list) == 0 {
		t.Fatalf("no staffing at %s: %v", code, err)
	}
	theirs := list[0]
	theirs.ID, theirs.HoursWorked, theirs.Notes = uuid.New(), theirs.HoursPlanned/2, "two officers sent to the inbound lanes at 03:00"
	theirs.Replaces, theirs.Reason, theirs.RecordedBy = nil, "", ""
	node := outbound.WithActor(context.Background(), &outbound.Actor{Name: "node-" + code, Role: outbound.Node, Crossings: []string{code}})
	res, err := s.db.RecordStaffing(node, []outbound.Staffing{theirs})
	if err != nil || res[0].Status != outbound.Conflict {
		t.Fatalf("the node's staffing: %+v, %v; want a conflict", res, err)
	}
}

// fits fails unless the page the browser shows is no wider than the
// screen, naming what sticks out.
func fits(t *testing.T, ctx context.Context, page string, width int) {
	t.Helper()
	waitFor(t, ctx, `document.readyState === 'complete'`)
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > width {
		wide := eval[[]string](t, ctx, `[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > `+itoa(width)+`)
			.slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + ' ' + Math.round(e.getBoundingClientRect().right) + ' px')`)
		t.Errorf("%s is %d px wide on a %d px screen: %q", page, w, width, wide)
	}
}

// Every page of the supervisor's desk fits a phone of 360 px: the desk
// (with its staffing list, a sync conflict side by side and a record set
// apart), the desk with a staffing change open, the desk showing a
// refused shift, an inspection with its correction forms, the crossing
// and the survey.
func TestDeskPagesFitAPhone(t *testing.T) {
	const width = 360
	ctx := mustBrowser(t, width, 740)
	s := mustSite(t)
	s.demoData(t, 20)
	const sw = "9101"
	in := s.richDemo(t, sw)
	s.deskConflict(t, sw)
	s.signIn(t, ctx, "sam", outbound.Supervisor, "/supervisor", sw)
	if n := eval[int](t, ctx, `document.querySelectorAll('#staffing tbody tr').length`); n == 0 {
		t.Fatal("the desk lists no shift")
	}
	if got := text(t, ctx, ".sidebyside tr.differs th"); !strings.Contains(got, "differs") {
		t.Fatalf("the conflict marks no differing field: %q", got)
	}
	fits(t, ctx, "the desk", width)
	// Each shift reads as its own block, its values beside their names.
	if got := eval[string](t, ctx, `(r => getComputedStyle(r).display)(document.querySelector('#staffing tbody tr'))`); got != "block" {
		t.Errorf("a shift's row is displayed as %q at 360 px; want a block of its own", got)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(`#staffing tbody tr a`)))
	waitFor(t, ctx, `document.getElementById('edit') !== null && document.readyState === 'complete'`)
	fits(t, ctx, "the staffing change", width)
	// A shift recorded again: the record there, and the form to change it.
	day := eval[string](t, ctx, `document.querySelector('#edit input[name=day]').value`)
	shift := eval[string](t, ctx, `document.querySelector('#edit input[name=shift]').value`)
	run(t, ctx, chromedp.Navigate(s.url+"/supervisor"))
	run(t, ctx, chromedp.WaitVisible(chromedp.ID("s-hours_planned")),
		chromedp.SetValue(chromedp.ID("s-day"), day), chromedp.SetValue(chromedp.ID("s-shift"), shift),
		chromedp.SendKeys(chromedp.ID("s-hours_planned"), "8"), chromedp.SendKeys(chromedp.ID("s-hours_worked"), "8"),
		chromedp.Submit(chromedp.ID("s-hours_planned")))
	waitFor(t, ctx, `document.getElementById('existing') !== null`)
	if got := text(t, ctx, "#existing"); !strings.Contains(got, "Recorded already: "+day+", "+shift+" shift") {
		t.Errorf("the shift recorded again says %q", got)
	}
	fits(t, ctx, "the desk with a refused shift", width)
	for _, p := range []struct{ path, name string }{
		{"/inspections/" + in.ID.String(), "an inspection to correct"},
		{"/crossings/" + sw, "the crossing"},
		{"/survey", "the survey"},
	} {
		run(t, ctx, chromedp.Navigate(s.url+p.path))
		fits(t, ctx, p.name, width)
	}
	if os.Getenv("OUTBOUND_SCREENSHOTS") != "" { // at a desk's width
		run(t, ctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(s.url+"/supervisor"))
		waitFor(t, ctx, `document.readyState === 'complete'`)
		screenshot(t, ctx, "desk.png")
	}
}

// The desk's change forms, posted after the session ended, are kept on
// the sign-in page and sent once she has signed in again, never a 405:
// a staffing change and an inspection's correction.
func TestDeskChangesPostedAfterTheSessionEndedAreKept(t *testing.T) {
	ctx := mustBrowser(t, 360, 740)
	s := mustSite(t)
	day := outbound.DateOf(time.Now().UTC()).AddDays(-1)
	first := outbound.Staffing{ID: uuid.New(), Crossing: "2304", Day: day, Shift: outbound.DayShift, HoursPlanned: 16, HoursWorked: 12}
	if res, err := s.db.RecordStaffing(testdb.System, []outbound.Staffing{first}); err != nil || res[0].Err != nil {
		t.Fatalf("setup: %v %v", err, res[0].Err)
	}
	started := time.Now().Add(-3 * time.Hour).Truncate(time.Minute)
	in := outbound.Inspection{ID: uuid.New(), Crossing: "2304", StartedAt: started, EndedAt: started.Add(10 * time.Minute), Modality: outbound.Truck,
		Techniques: []outbound.Technique{outbound.Interview}, Trigger: outbound.RandomSelection, Officers: []string{"B1234"}, Outcome: outbound.NoFinding}
	if res, err := s.db.RecordInspections(testdb.System, []outbound.Inspection{in}); err != nil || res[0].Err != nil {
		t.Fatalf("setup: %v %v", err, res[0].Err)
	}
	expire := func() {
		if _, err := s.db.SQL().Exec(`UPDATE sessions SET expires_at = created_at`); err != nil {
			t.Fatal(err)
		}
	}
	held := func(path string) {
		t.Helper()
		waitFor(t, ctx, `location.pathname === '`+path+`' && document.readyState === 'complete'`)
		if body := text(t, ctx, "body"); strings.Contains(body, "Method Not Allowed") || !strings.Contains(body, "the form you sent is kept") {
			t.Fatalf("after posting to %s with the session ended: %q", path, body)
		}
	}

	s.signIn(t, ctx, "ana", outbound.Supervisor, "/supervisor?edit="+first.ID.String(), "2304")
	run(t, ctx, chromedp.WaitVisible(chromedp.ID("e-why")))
	run(t, ctx, chromedp.SetValue(chromedp.ID("e-hours_worked"), "15"), chromedp.SendKeys(chromedp.ID("e-why"), "the lane log says 15"))
	expire()
	run(t, ctx, chromedp.Submit(chromedp.ID("e-why")))
	held("/supervisor/staffing/edit")
	s.signInHere(t, ctx, "ana")
	waitFor(t, ctx, `location.pathname === '/supervisor' && document.readyState === 'complete'`)
	if msg := text(t, ctx, ".toast"); !strings.Contains(msg, "corrected") {
		t.Fatalf("the desk says %q; want the shift corrected", msg)
	}
	list, _, err := s.db.FindStaffing(testdb.System, outbound.Filter{Crossing: "2304", Limit: 10})
	if err != nil || len(list) != 1 || list[0].HoursWorked != 15 || list[0].Reason != "the lane log says 15" || list[0].RecordedBy != "ana" {
		t.Fatalf("stored: %+v %v; want the change, once", list, err)
	}

	run(t, ctx, chromedp.Navigate(s.url+"/inspections/"+in.ID.String()))
	run(t, ctx, chromedp.WaitVisible(chromedp.ID("e-reason")))
	run(t, ctx, chromedp.SetValue(chromedp.ID("e-duration"), "25"), chromedp.SendKeys(chromedp.ID("e-reason"), "it took longer"))
	expire()
	run(t, ctx, chromedp.Submit(chromedp.ID("e-reason")))
	held("/inspections/" + in.ID.String() + "/edit")
	s.signInHere(t, ctx, "ana")
	// Signed in, the correction is sent and the browser is on its version's page.
	waitFor(t, ctx, `location.pathname.startsWith('/inspections/') && !location.pathname.endsWith('/edit') && location.pathname !== '/inspections/`+in.ID.String()+`' && document.readyState === 'complete'`)
	history, err := s.db.InspectionHistory(testdb.System, in.ID)
	if err != nil || len(history) != 2 || history[1].EndedAt.Sub(history[1].StartedAt) != 25*time.Minute || history[1].Reason != "it took longer" {
		t.Fatalf("history: %+v %v; want the correction, once\n%s", history, err, text(t, ctx, "main"))
	}
}
