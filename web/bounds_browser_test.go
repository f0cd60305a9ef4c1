package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/outbound-oss/outbound"
)

// The officer's form says what the server would refuse before the record
// waits on the device (offline, it would wait only to be refused): more
// than 20 officers, a seizure without a value.
func TestFormRefusesWhatTheServerWould(t *testing.T) {
	ctx := mustBrowser(t, 360, 780)
	s := mustSite(t)
	s.signIn(t, ctx, "olga", outbound.Officer, "/capture", "2304")
	badges := make([]string, outbound.MaxOfficers+1)
	for i := range badges {
		badges[i] = fmt.Sprintf("B%d", i+1)
	}
	run(t, ctx, chromedp.SetValue(chromedp.ID("officers"), strings.Join(badges, ", ")), chromedp.Click(chromedp.ID("record")))
	waitFor(t, ctx, `document.getElementById('toast').textContent === 'Name at most 20 officers.'`)
	run(t, ctx, chromedp.SetValue(chromedp.ID("officers"), "B1234"), chromedp.Click(chromedp.CSS(`label[for="o-seizure"]`)))
	waitFor(t, ctx, `document.querySelector('#seizures [data-f=quantity]') !== null`)
	run(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#seizures [data-f=category]`), "firearms"),
		chromedp.SendKeys(chromedp.CSS(`#seizures [data-f=quantity]`), "2"),
		chromedp.SendKeys(chromedp.CSS(`#seizures [data-f=value_usd]`), "0"),
		chromedp.Click(chromedp.ID("record")))
	waitFor(t, ctx, `document.getElementById('toast').textContent.startsWith('Seizure 1 needs a value in USD above 0')`)
	if got := s.inspections(t); len(got) != 0 {
		t.Fatalf("%d stored; want none", len(got))
	}
	if n := eval[string](t, ctx, `document.getElementById('waiting').textContent`); n != "0" {
		t.Fatalf("%s waiting on the device; want none", n)
	}
	run(t, ctx, chromedp.SetValue(chromedp.CSS(`#seizures [data-f=value_usd]`), "1700"), chromedp.Click(chromedp.ID("record")))
	waitFor(t, ctx, allSent)
	if got := s.inspections(t); len(got) != 1 || got[0].Seizures[0].ValueUSD != 1700 {
		t.Fatalf("stored: %+v; want the corrected one", got)
	}
}
