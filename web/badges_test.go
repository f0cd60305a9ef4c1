package web_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/outbound-oss/outbound"
)

// The officer's form gets the badge rule from the server, in the rule
// table written from the root package's constants (static/rules.json, as
// served), and no script keeps a copy of its own.
func TestCaptureCarriesTheBadgeRule(t *testing.T) {
	forEachServer(t, func(t *testing.T, a *api) {
		status, body := a.do("GET", "/static/rules.json", nil)
		var rules outbound.InspectionRules
		if err := json.Unmarshal(body, &rules); status != 200 || err != nil {
			t.Fatalf("GET /static/rules.json = %d: %v", status, err)
		}
		want := outbound.BadgeRules{Pattern: outbound.BadgePattern, Separators: outbound.BadgeSeparators, Rule: outbound.BadgeRule}
		if rules.Badge != want {
			t.Errorf("the served badge rule is %+v; want %+v", rules.Badge, want)
		}
	})
	scripts, err := filepath.Glob(filepath.Join("static", "*.js"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts in static/: %v", err)
	}
	for _, p := range scripts {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); strings.Contains(s, "A-Za-z0-9") || strings.Contains(s, ",;]") {
			t.Errorf("%s writes out a badge pattern of its own; read the one in the rule table", p)
		}
	}
}

// The form's script reads badges as the server does: the same badges out
// of what was typed, the same ones malformed, in the same words.
func TestFormReadsBadgesAsTheServer(t *testing.T) {
	ctx := mustBrowser(t, 390, 844)
	s := mustSite(t)
	s.signIn(t, ctx, "olga", outbound.Officer, "/capture", "2304")
	typed := []string{"", " , ; ", "b1234", "b1234, B5678", "B1;B2 ,B3\tB4\nB5", "  b-1,,b-1  ", "b_1 -B2",
		"cbp-0042", strings.Repeat("a", 20), strings.Repeat("a", 21), "bé1", "b1\u00a0b2", "B1\vB2\fB3\rB4"}
	arg, _ := json.Marshal(typed)
	var got []struct {
		Badges  []string
		Valid   []bool
		Problem string
	}
	res := eval[string](t, ctx, `Promise.all([import('/static/badges.js'), import('/static/rules.js')]).then(async ([m, r]) => {
		const rules = m.badgeRules(await r.loadRules());
		return JSON.stringify(`+string(arg)+`.map(text => {
			const badges = m.parseBadges(text, rules);
			return { badges, valid: badges.map(b => rules.pattern.test(b)), problem: m.badgeProblem(badges, rules) };
		}));
	})`)
	if err := json.Unmarshal([]byte(res), &got); err != nil || len(got) != len(typed) {
		t.Fatalf("the script's answers %s: %v", res, err)
	}
	for i, text := range typed {
		badges := outbound.ParseBadges(text)
		valid, problem := []bool{}, ""
		for _, b := range badges {
			valid = append(valid, outbound.ValidBadge(b))
			if !outbound.ValidBadge(b) && problem == "" {
				problem = `Badge "` + b + `" must be ` + outbound.BadgeRule + "."
			}
		}
		if !slices.Equal(got[i].Badges, badges) && len(got[i].Badges)+len(badges) > 0 {
			t.Errorf("%q: the form reads %q, the server %q", text, got[i].Badges, badges)
		} else if !slices.Equal(got[i].Valid, valid) || got[i].Problem != problem {
			t.Errorf("%q: the form judges %v %q, the server %v %q", text, got[i].Valid, got[i].Problem, valid, problem)
		}
	}
	// A malformed badge is refused on the device, before it waits to be sent.
	run(t, ctx, chromedp.SendKeys(chromedp.ID("officers"), "B_1"), chromedp.Click(chromedp.ID("record")))
	waitFor(t, ctx, `document.getElementById('toast').textContent === 'Badge "B_1" must be `+outbound.BadgeRule+`.'`)
	if n := eval[string](t, ctx, `document.getElementById('waiting').textContent`); n != "0" || len(s.inspections(t)) != 0 {
		t.Fatalf("a malformed badge was kept (%s waiting) or stored", n)
	}
}
