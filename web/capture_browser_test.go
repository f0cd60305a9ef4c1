package web_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/internal/testdb"
)

var quoted = regexp.MustCompile(`"[^"]*"`)

// allSent is true once the form's bar confirms a record and nothing waits.
const allSent = `document.getElementById('toast').textContent.endsWith('· all sent')`

// tapRecord taps Record once the form is ready for the next vehicle (a
// second tap within a second of the first is the same tap).
func tapRecord(t *testing.T, ctx context.Context) {
	t.Helper()
	waitFor(t, ctx, `!document.getElementById('record').disabled`)
	run(t, ctx, chromedp.Click(chromedp.ID("record")))
}

// tapAt taps the middle of an element where it is on the screen, as a
// thumb does: unlike chromedp.Click, it scrolls nothing into view.
func tapAt(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	xy := eval[[]float64](t, ctx, `(r => [r.x + r.width / 2, r.y + r.height / 2])(document.getElementById('`+id+`').getBoundingClientRect())`)
	run(t, ctx, chromedp.MouseClickXY(xy[0], xy[1]))
}

// eventually polls cond for up to ten seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("never: %s", what)
}

// officerB1234 is an officer at Laredo whose account carries a badge.
var officerB1234 = outbound.User{Name: "olga", Role: outbound.Officer, Crossings: []string{"2304"}, Badge: "B1234"}

// officerOnAPhone signs officerB1234 in on a 360x740 screen, on the form.
func officerOnAPhone(t *testing.T) (context.Context, *site) {
	t.Helper()
	ctx := mustBrowser(t, 360, 740)
	s := mustSite(t)
	s.signInAs(t, ctx, officerB1234, "/capture")
	return ctx, s
}

// Two quick taps on Record, or two submits by script, store one
// inspection: the form's id is made once per inspection, Record is
// disabled while it saves, and a new id is made only when the form is
// cleared for the next vehicle. Sent again with that id, it is a replay.
func TestSecondTapRecordsOnce(t *testing.T) {
	ctx := mustBrowser(t, 360, 740)
	s := mustSite(t)
	s.signIn(t, ctx, "olga", outbound.Officer, "/capture", "2304")
	run(t, ctx, chromedp.SendKeys(chromedp.ID("officers"), "B1234"))
	first := eval[string](t, ctx, `document.getElementById('inspection').dataset.inspectionId`)
	run(t, ctx, chromedp.Click(chromedp.ID("record")), chromedp.Click(chromedp.ID("record")))
	waitFor(t, ctx, allSent)
	got := s.inspections(t)
	if len(got) != 1 || got[0].ID.String() != first {
		t.Fatalf("two taps stored %d inspections; want one, with the form's id %s", len(got), first)
	}
	if next := eval[string](t, ctx, `document.getElementById('inspection').dataset.inspectionId`); next == first || next == "" {
		t.Fatalf("the form cleared for the next vehicle keeps id %q; want a new one", next)
	}

	// Submits by script: the button is disabled at once, and the second
	// and third submits are the first.
	waitFor(t, ctx, `!document.getElementById('record').disabled`)
	res := eval[[]string](t, ctx, `(() => {
		const f = document.getElementById('inspection'), id = f.dataset.inspectionId;
		f.requestSubmit();
		const disabled = document.getElementById('record').disabled;
		f.requestSubmit();
		f.dispatchEvent(new Event('submit', { cancelable: true }));
		return [id, String(disabled)];
	})()`)
	if res[1] != "true" {
		t.Fatal("Record was not disabled while the form saved")
	}
	waitFor(t, ctx, `document.getElementById('toast').textContent.includes('· 2 today ·') && `+allSent)
	got = s.inspections(t)
	if len(got) != 2 || !slices.ContainsFunc(got, func(in outbound.Inspection) bool { return in.ID.String() == res[0] }) {
		t.Fatalf("three submits stored %d more; want one, with id %s", len(got)-1, res[0])
	}

	// The same record in the outbox again (a submit that slipped through
	// with the same id) is a replay: sent, and stored once.
	sent := eval[float64](t, ctx, `(async () => {
		const m = await import('/static/outbox.js');
		const rec = await (await fetch('/api/v1/inspections/`+res[0]+`')).json();
		await m.keep(rec);
		return (await m.flush()).sent;
	})()`)
	if got := s.inspections(t); sent != 1 || len(got) != 2 {
		t.Fatalf("the same record again: %g sent, %d stored; want it sent and stored once", sent, len(got))
	}
}

// At 360x740 a routine inspection is one tap with no scrolling: Record
// sits in a bar at the bottom of the screen, which confirms in place with
// the time, today's count and what waits, and offers Undo; Undo of a
// record already sent voids it with the reason "undone at the lane".
func TestRecordBarConfirmsWhereTheThumbIs(t *testing.T) {
	ctx, s := officerOnAPhone(t)
	waitFor(t, ctx, `document.getElementById('summary').textContent !== ''`)
	inView := func(id string) {
		t.Helper()
		r := eval[[]float64](t, ctx, `(r => [r.top, r.bottom, innerHeight, scrollY])(document.getElementById('`+id+`').getBoundingClientRect())`)
		if r[0] < 0 || r[1] > r[2] || r[3] != 0 {
			t.Fatalf("#%s spans %g to %g px of a %g px screen, scrolled %g px; want it on the screen unscrolled", id, r[0], r[1], r[2], r[3])
		}
	}
	inView("record")
	if top := eval[float64](t, ctx, `document.getElementById('record').getBoundingClientRect().top`); top < 740/2 {
		t.Fatalf("Record is %g px from the top of a 740 px screen; want it in the lower half, under the thumb", top)
	}
	tapAt(t, ctx, "record")
	waitFor(t, ctx, allSent)
	text := eval[string](t, ctx, `document.getElementById('toast').textContent`)
	if !regexp.MustCompile(`^Saved \d\d:\d\d · 1 today · all sent$`).MatchString(text) {
		t.Fatalf("the bar says %q; want Saved HH:MM · 1 today · all sent", text)
	}
	inView("toast")
	inView("undo")
	if os.Getenv("OUTBOUND_SCREENSHOTS") != "" {
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()) // the phone's screen, as the officer sees it
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("..", "docs", "screenshots", "form.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if role := eval[string](t, ctx, `document.getElementById('toast').getAttribute('aria-live')`); role != "polite" {
		t.Fatalf("the confirmation's aria-live is %q; want polite, so that it is read out", role)
	}
	got := s.inspections(t)
	if len(got) != 1 || strings.Join(got[0].Officers, ",") != "B1234" {
		t.Fatalf("stored %+v; want one inspection by B1234, the badge on the account", got)
	}

	tapAt(t, ctx, "undo")
	waitFor(t, ctx, `document.getElementById('toast').textContent === 'Undone: voided (undone at the lane) · 0 today'`)
	eventually(t, "the undone record is voided", func() bool { return len(s.inspections(t)) == 0 })
	history, err := s.db.InspectionHistory(testdb.System, got[0].ID)
	if err != nil || len(history) != 2 || !history[1].Voided || history[1].Reason != outbound.UndoReason {
		t.Fatalf("history after Undo: %+v, %v; want the record and its void, undone at the lane", history, err)
	}

	// Undo is offered for a few seconds only.
	tapRecord(t, ctx)
	waitFor(t, ctx, `!document.getElementById('undo').hidden`)
	waitFor(t, ctx, `document.getElementById('undo').hidden`)
	if got := s.inspections(t); len(got) != 1 {
		t.Fatalf("%d stored after the next record; want 1", len(got))
	}
}

// Undo of a record still waiting offline takes it out of the outbox:
// nothing is sent when the network is back.
func TestUndoOfARecordStillWaiting(t *testing.T) {
	ctx, s := officerOnAPhone(t)
	offline(t, ctx, true)
	waitFor(t, ctx, `document.getElementById('net').textContent === 'Offline'`)
	tapRecord(t, ctx)
	waitFor(t, ctx, `/^Saved \d\d:\d\d · 1 today · 1 waiting$/.test(document.getElementById('toast').textContent)`)
	run(t, ctx, chromedp.Click(chromedp.ID("undo")))
	waitFor(t, ctx, `document.getElementById('toast').textContent === 'Undone: removed before it was sent · 0 today' && document.getElementById('waiting').textContent === '0'`)
	offline(t, ctx, false)
	tapRecord(t, ctx)
	waitFor(t, ctx, `document.getElementById('toast').textContent.includes('· 1 today ·') && `+allSent)
	if got := s.inspections(t); len(got) != 1 {
		t.Fatalf("%d stored; want only the record made after the undone one", len(got))
	}
}

// A summary line in the bar shows what Record will record, the choices
// carried over from the last inspection included; each part is a button
// that leads to its field.
func TestSummaryShowsWhatWillBeRecorded(t *testing.T) {
	ctx, s := officerOnAPhone(t)
	summary := func() string {
		return eval[string](t, ctx, `document.getElementById('summary').textContent`)
	}
	waitFor(t, ctx, `document.getElementById('summary').textContent !== ''`)
	if got := summary(); got != "Personal vehicle · Interview · Random selection · 10 min · B1234" {
		t.Fatalf("summary %q", got)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(`label[for="m-truck"]`)), chromedp.Click(chromedp.CSS(`label[for="t-k9"]`)),
		chromedp.SendKeys(chromedp.ID("officers"), "b5678"))
	waitFor(t, ctx, `document.getElementById('summary').textContent === 'Truck · Interview + K9 · Random selection · 10 min · B1234 + B5678'`)
	tapRecord(t, ctx)
	waitFor(t, ctx, allSent)
	got := s.inspections(t)
	if len(got) != 1 || got[0].Modality != outbound.Truck || !slices.Equal(got[0].Techniques, []outbound.Technique{outbound.Interview, outbound.K9}) ||
		got[0].Trigger != outbound.RandomSelection || got[0].EndedAt.Sub(got[0].StartedAt) != 10*time.Minute || strings.Join(got[0].Officers, ",") != "B1234,B5678" {
		t.Fatalf("stored %+v; want what the summary said", got)
	}
	// Carried over to the next vehicle, after a reload too.
	run(t, ctx, chromedp.Reload())
	waitFor(t, ctx, `document.getElementById('summary').textContent === 'Truck · Interview + K9 · Random selection · 10 min · B1234 + B5678'`)
	run(t, ctx, chromedp.ScrollIntoView(chromedp.ID("add-seizure")))
	for part, focus := range map[string]string{"Truck": "m-truck", "Interview + K9": "t-interview", "Random selection": "g-random_selection",
		"10 min": "d-10", "B1234 + B5678": "officers"} {
		tapPart(t, ctx, part)
		waitFor(t, ctx, `document.activeElement.id === '`+focus+`'`)
		if top := eval[float64](t, ctx, `document.activeElement.closest('fieldset, label, input').getBoundingClientRect().top`); top < 0 || top > 740 {
			t.Fatalf("the part %q led to #%s at %g px, off the screen", part, focus, top)
		}
	}
	if label := eval[string](t, ctx, `[...document.querySelectorAll('#summary button')][0].getAttribute('aria-label')`); label != "Modality: Truck. Change" {
		t.Fatalf("the first part's label is %q", label)
	}
}

// tapPart taps the summary's button for part.
func tapPart(t *testing.T, ctx context.Context, part string) {
	t.Helper()
	ok := eval[bool](t, ctx, `(b => b ? (b.click(), true) : false)([...document.querySelectorAll('#summary button')].find(b => b.textContent === `+jsString(part)+`))`)
	if !ok {
		t.Fatalf("no summary part %q in %q", part, eval[string](t, ctx, `document.getElementById('summary').textContent`))
	}
}

// The form keeps the server's rules before a record is kept: adding a
// seizure makes the outcome a seizure, a seizure without a value is
// refused at its field, a currency seizure is one amount, and the badge
// comes from the account, with no field to mistype it in.
func TestFormKeepsTheServerRules(t *testing.T) {
	ctx, s := officerOnAPhone(t)
	if own := eval[string](t, ctx, `document.getElementById('own-badge').textContent`); own != "B1234" {
		t.Fatalf("the form shows the officer's badge as %q", own)
	}
	if typed := eval[int](t, ctx, `[...document.querySelectorAll('input')].filter(i => i.value.includes('B1234')).length`); typed != 0 {
		t.Fatal("the account's badge is in a field that could be changed")
	}
	run(t, ctx, chromedp.Click(chromedp.ID("add-seizure")))
	waitFor(t, ctx, `document.getElementById('o-seizure').checked`)
	if shown := eval[string](t, ctx, `[...document.querySelectorAll('#seizures input')].filter(i => i.offsetParent !== null).map(i => i.dataset.f).join()`); shown != "value_usd" {
		t.Fatalf("a currency seizure shows %q; want one amount", shown)
	}
	if label := eval[string](t, ctx, `document.querySelector('#seizures [data-label=value]').textContent`); label != "Amount (USD)" {
		t.Fatalf("the currency field is labelled %q", label)
	}
	tapRecord(t, ctx)
	waitFor(t, ctx, `document.getElementById('toast').textContent.startsWith('Seizure 1 needs an amount in USD above 0')`)
	if !eval[bool](t, ctx, `document.activeElement.dataset.f === 'value_usd' && document.activeElement.getAttribute('aria-invalid') === 'true'`) {
		t.Fatal("the refused value does not have the focus, marked invalid")
	}
	if n := eval[string](t, ctx, `document.getElementById('waiting').textContent`); n != "0" || len(s.inspections(t)) != 0 {
		t.Fatalf("a seizure without a value was kept (%s waiting) or stored", n)
	}
	run(t, ctx, chromedp.SendKeys(chromedp.CSS(`#seizures [data-f=value_usd]`), "48000"))
	tapRecord(t, ctx)
	waitFor(t, ctx, allSent)
	got := s.inspections(t)
	if len(got) != 1 || got[0].Outcome != outbound.Seized || len(got[0].Seizures) != 1 ||
		got[0].Seizures[0] != (outbound.Seizure{Category: outbound.Currency, Quantity: 48000, Unit: "USD", ValueUSD: 48000}) {
		t.Fatalf("stored %+v; want one currency seizure of $48,000", got)
	}

	// No finding cannot list a seizure; removing the last seizure makes
	// the outcome no finding again.
	run(t, ctx, chromedp.Click(chromedp.ID("add-seizure")), chromedp.Click(chromedp.CSS(`label[for="o-no_finding"]`)))
	tapRecord(t, ctx)
	waitFor(t, ctx, `document.getElementById('toast').textContent.startsWith('No finding cannot list seizures')`)
	run(t, ctx, chromedp.Click(chromedp.CSS(`label[for="o-seizure"]`)), chromedp.Click(chromedp.CSS(`#seizures [data-remove]`)))
	waitFor(t, ctx, `document.getElementById('o-no_finding').checked`)
}

// The form refuses what the server refuses, at the same field: records
// made in Go, each with one fault, go to Validate and to the form's
// script, which read one rule table.
func TestFormAndServerRefuseAlike(t *testing.T) {
	ctx := mustBrowser(t, 390, 844)
	s := mustSite(t)
	run(t, ctx, chromedp.Navigate(s.url+"/login"))
	now := time.Now().UTC().Truncate(time.Second)
	start := now.Add(-time.Hour)
	base := func() outbound.Inspection {
		return outbound.Inspection{ID: uuid.New(), Crossing: "2304", StartedAt: start, EndedAt: start.Add(10 * time.Minute),
			Modality: outbound.Truck, Techniques: []outbound.Technique{outbound.Interview}, Trigger: outbound.Routine,
			Officers: []string{"B1234"}, Outcome: outbound.NoFinding}
	}
	seized := func(z outbound.Seizure) func(*outbound.Inspection) {
		return func(in *outbound.Inspection) { in.Outcome, in.Seizures = outbound.Seized, []outbound.Seizure{z} }
	}
	good := outbound.Seizure{Category: outbound.Firearms, Quantity: 2, Unit: "each", ValueUSD: 1700}
	with := func(edit func(*outbound.Seizure)) outbound.Seizure { z := good; edit(&z); return z }
	code, uid := "OP-7", uuid.NewString()
	many := func(n int, f func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = f(i)
		}
		return out
	}
	prev := uuid.New()
	cases := map[string]func(*outbound.Inspection){
		"valid":                         func(*outbound.Inspection) {},
		"no id":                         func(in *outbound.Inspection) { in.ID = uuid.Nil },
		"crossing empty":                func(in *outbound.Inspection) { in.Crossing = "" },
		"crossing with a space":         func(in *outbound.Inspection) { in.Crossing = "23 04" },
		"no start":                      func(in *outbound.Inspection) { in.StartedAt = time.Time{} },
		"start in 1999":                 func(in *outbound.Inspection) { in.StartedAt = time.Date(1999, 12, 31, 12, 0, 0, 0, time.UTC) },
		"start two days ahead":          func(in *outbound.Inspection) { in.StartedAt, in.EndedAt = now.Add(48*time.Hour), now.Add(49*time.Hour) },
		"start twenty hours ahead":      func(in *outbound.Inspection) { in.StartedAt, in.EndedAt = now.Add(20*time.Hour), now.Add(21*time.Hour) },
		"end before start":              func(in *outbound.Inspection) { in.EndedAt = start.Add(-time.Minute) },
		"a day and a minute long":       func(in *outbound.Inspection) { in.EndedAt = start.Add(24*time.Hour + time.Minute) },
		"a boat":                        func(in *outbound.Inspection) { in.Modality = "boat" },
		"no technique":                  func(in *outbound.Inspection) { in.Techniques = nil },
		"a technique twice":             func(in *outbound.Inspection) { in.Techniques = []outbound.Technique{"k9", "k9"} },
		"an unknown technique":          func(in *outbound.Inspection) { in.Techniques = []outbound.Technique{"interview", "dowsing"} },
		"seven techniques":              func(in *outbound.Inspection) { in.Techniques = append(slices.Clone(outbound.Techniques), "k9") },
		"no trigger":                    func(in *outbound.Inspection) { in.Trigger = "" },
		"an operation code":             func(in *outbound.Inspection) { in.OperationID = &code },
		"an operation UUID":             func(in *outbound.Inspection) { in.OperationID = &uid },
		"a malformed operation":         func(in *outbound.Inspection) { op := "op 7"; in.OperationID = &op },
		"no officer":                    func(in *outbound.Inspection) { in.Officers = nil },
		"twenty officers":               func(in *outbound.Inspection) { in.Officers = many(20, func(i int) string { return "B" + itoa(i) }) },
		"twenty-one officers":           func(in *outbound.Inspection) { in.Officers = many(21, func(i int) string { return "B" + itoa(i) }) },
		"a malformed badge":             func(in *outbound.Inspection) { in.Officers = []string{"B1", "B_2"} },
		"a badge twice":                 func(in *outbound.Inspection) { in.Officers = []string{"B1", "B1"} },
		"an unknown outcome":            func(in *outbound.Inspection) { in.Outcome = "maybe" },
		"a seizure outcome without one": func(in *outbound.Inspection) { in.Outcome = outbound.Seized },
		"no finding with a seizure":     func(in *outbound.Inspection) { in.Seizures = []outbound.Seizure{good} },
		"an arrest with a seizure":      func(in *outbound.Inspection) { in.Outcome, in.Seizures = outbound.Arrest, []outbound.Seizure{good} },
		"fifty-one seizures": func(in *outbound.Inspection) {
			in.Outcome, in.Seizures = outbound.Seized, slices.Repeat([]outbound.Seizure{good}, outbound.MaxSeizures+1)
		},
		"notes at the limit":           func(in *outbound.Inspection) { in.Notes = strings.Repeat("é", 4000) },
		"notes over the limit":         func(in *outbound.Inspection) { in.Notes = strings.Repeat("a", 4001) },
		"notes of emoji at the limit":  func(in *outbound.Inspection) { in.Notes = strings.Repeat("🚗", 4000) },
		"notes with lines and tabs":    func(in *outbound.Inspection) { in.Notes = "a\tb\r\nc" },
		"notes with a bell":            func(in *outbound.Inspection) { in.Notes = "a\u0007b" },
		"notes with a C1 control":      func(in *outbound.Inspection) { in.Notes = "a\u0085b" },
		"a reason without replaces":    func(in *outbound.Inspection) { in.Reason = "why" },
		"replaces without a reason":    func(in *outbound.Inspection) { in.Replaces = &prev },
		"replaces with a blank reason": func(in *outbound.Inspection) { in.Replaces, in.Reason = &prev, " \u00a0" },
		"a void without replaces":      func(in *outbound.Inspection) { in.Voided = true },
		"an undo":                      func(in *outbound.Inspection) { in.Replaces, in.Reason, in.Voided = &prev, outbound.UndoReason, true },
		"replacing itself":             func(in *outbound.Inspection) { in.Replaces, in.Reason = &in.ID, "x" },
		"a valid seizure":              seized(good),
		"an unknown category":          seized(with(func(z *outbound.Seizure) { z.Category = "gold" })),
		"quantity 0":                   seized(with(func(z *outbound.Seizure) { z.Quantity = 0 })),
		"quantity below 0":             seized(with(func(z *outbound.Seizure) { z.Quantity = -1 })),
		"quantity over the maximum":    seized(with(func(z *outbound.Seizure) { z.Quantity = outbound.MaxSeizureQuantity + 1 })),
		"no unit":                      seized(with(func(z *outbound.Seizure) { z.Unit = "" })),
		"a blank unit":                 seized(with(func(z *outbound.Seizure) { z.Unit = "\u3000 " })),
		"a unit of U+FEFF":             seized(with(func(z *outbound.Seizure) { z.Unit = "\ufeff" })),
		"a unit too long":              seized(with(func(z *outbound.Seizure) { z.Unit = strings.Repeat("u", 17) })),
		"a unit with a tab":            seized(with(func(z *outbound.Seizure) { z.Unit = "a\tb" })),
		"value 0":                      seized(with(func(z *outbound.Seizure) { z.ValueUSD = 0 })),
		"value at the maximum":         seized(with(func(z *outbound.Seizure) { z.ValueUSD = outbound.MaxSeizureValueUSD })),
		"value over the maximum":       seized(with(func(z *outbound.Seizure) { z.ValueUSD = outbound.MaxSeizureValueUSD + 1 })),
	}
	var names []string
	var bodies []json.RawMessage
	want := map[string]string{}
	for name, edit := range cases {
		in := base()
		edit(&in)
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		// The server judges the record as it arrives: decoded from JSON.
		var sent outbound.Inspection
		if err := json.Unmarshal(b, &sent); err != nil {
			t.Fatal(err)
		}
		want[name] = outbound.ErrorField(sent.Validate(now))
		if err := sent.Validate(now); err != nil && want[name] == "" {
			t.Fatalf("%s: refused with no field: %v", name, err)
		}
		names, bodies = append(names, name), append(bodies, b)
	}
	arg, _ := json.Marshal(bodies)
	var got []struct{ Field, Message string }
	res := eval[string](t, ctx, `import('/static/rules.js').then(async m => {
		const rules = await m.loadRules(), now = new Date(`+jsString(now.Format(time.RFC3339))+`);
		return JSON.stringify(`+string(arg)+`.map(x => m.problem(x, rules, now) || { field: '', message: '' }));
	})`)
	if err := json.Unmarshal([]byte(res), &got); err != nil || len(got) != len(names) {
		t.Fatalf("the script's answers %s: %v", res, err)
	}
	for i, name := range names {
		if got[i].Field != want[name] {
			t.Errorf("%s: the form refuses at %q (%s), the server at %q", name, got[i].Field, got[i].Message, want[name])
		}
		// What the officer typed is quoted; the rest must be plain words.
		if words := quoted.ReplaceAllString(got[i].Message, ""); got[i].Field != "" && (words == "" || strings.Contains(words, "_")) {
			t.Errorf("%s: the form says %q; want plain words, no API values", name, got[i].Message)
		}
	}
}

// When a pulse-and-surge operation runs at the officer's crossing today,
// the form offers it: one tap, and the record carries its operation_id
// (and the trigger pulse and surge). Operations elsewhere, or over, are
// not offered.
func TestFormOffersARunningOperation(t *testing.T) {
	ctx, s := officerOnAPhone(t)
	if eval[bool](t, ctx, `document.getElementById('operation-box') !== null`) {
		t.Fatal("the form offers an operation where none runs")
	}
	sam := outbound.WithActor(context.Background(), &outbound.Actor{Name: "sam", Role: outbound.Supervisor, Crossings: []string{"2304", "3004"}})
	today := outbound.DateOf(time.Now().UTC())
	plan := func(name, crossing string, from, to outbound.Date) outbound.Operation {
		t.Helper()
		op, err := s.db.PlanOperation(sam, outbound.OperationRequest{Name: name, Basis: outbound.IntelligenceBasis, Crossings: []string{crossing},
			From: from, To: to, Officers: 4, Reason: "a tip about outbound currency"})
		if err != nil {
			t.Fatal(err)
		}
		return op
	}
	running := plan("Surge Laredo", "2304", today.AddDays(-1), today.AddDays(1))
	plan("Surge Blaine", "3004", today.AddDays(-1), today.AddDays(1))
	plan("Last week at Laredo", "2304", today.AddDays(-9), today.AddDays(-3))
	run(t, ctx, chromedp.Reload())
	waitFor(t, ctx, `document.readyState === 'complete' && document.getElementById('summary').textContent !== ''`)
	// With an operation, an own badge and the bar, every control still has
	// a label and all text its contrast.
	if bad := append(eval[[]string](t, ctx, unlabelledControls), eval[[]string](t, ctx, lowContrast)...); len(bad) > 0 {
		t.Fatalf("unlabelled controls or text under WCAG AA contrast: %q", bad)
	}
	offered := eval[[]string](t, ctx, `[...document.querySelectorAll('input[name=operation]')].filter(i => !i.hidden).map(i => i.labels[0].textContent)`)
	if !slices.Equal(offered, []string{"Not part of one", "Surge Laredo"}) {
		t.Fatalf("the form offers %q; want the Laredo operation running today", offered)
	}
	run(t, ctx, chromedp.Click(chromedp.CSS(`label[for="op-`+running.ID+`"]`)))
	waitFor(t, ctx, `document.getElementById('summary').textContent === 'Surge Laredo · Personal vehicle · Interview · Pulse and surge · 10 min · B1234'`)
	tapRecord(t, ctx)
	waitFor(t, ctx, allSent)
	got := s.inspections(t)
	if len(got) != 1 || got[0].OperationID == nil || *got[0].OperationID != running.ID || got[0].Trigger != outbound.PulseSurge {
		t.Fatalf("stored %+v; want one inspection of operation %s", got, running.ID)
	}
	// The operation is carried over to the next vehicle.
	run(t, ctx, chromedp.Reload())
	waitFor(t, ctx, `document.getElementById('op-`+running.ID+`').checked && document.getElementById('summary').textContent.startsWith('Surge Laredo · ')`)
}

// Undo after a lost answer: the server stored the record, but the answer
// never reached the phone, so the record still waits in the outbox. Undo
// cannot know whether it arrived: it sends it, and voids it after, so the
// record is undone either way.
func TestUndoAfterALostAnswer(t *testing.T) {
	ctx, s := officerOnAPhone(t)
	paused := make(chan fetch.RequestID, 8)
	if err := chromedp.Listen(ctx, func(ev any) {
		if p, ok := ev.(*fetch.EventRequestPaused); ok {
			paused <- p.RequestID
		}
	}); err != nil {
		t.Fatal(err)
	}
	lost := make(chan struct{})
	go func() { // the first answer is lost on the way back; the others pass
		for n := 0; ; n++ {
			select {
			case id := <-paused:
				var err error
				if n == 0 {
					_, err = chromedp.Call(ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: id, ErrorReason: network.ErrorReasonConnectionReset})
					close(lost)
				} else {
					_, err = chromedp.Call(ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: id})
				}
				if err != nil && ctx.Err() == nil {
					t.Errorf("answering the paused request: %v", err)
				}
			case <-ctx.Done():
				return
			}
		}
	}()
	run(t, ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
			{URLPattern: "*/api/v1/inspections", RequestStage: fetch.RequestStageResponse}}})
		return err
	}))
	tapRecord(t, ctx)
	select {
	case <-lost:
	case <-time.After(10 * time.Second):
		t.Fatal("the record was never posted")
	}
	eventually(t, "the server stores the record whose answer is lost", func() bool { return len(s.inspections(t)) == 1 })
	waitFor(t, ctx, `document.getElementById('waiting').textContent === '1'`)
	run(t, ctx, chromedp.Click(chromedp.ID("undo")))
	waitFor(t, ctx, `document.getElementById('toast').textContent === 'Undone: voided (undone at the lane) · 0 today'`)
	waitFor(t, ctx, `document.getElementById('waiting').textContent === '0'`)
	eventually(t, "the record is voided", func() bool { return len(s.inspections(t)) == 0 })
}
