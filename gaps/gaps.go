// Package gaps scores what each crossing lacks for outbound work against a
// standard per crossing class: a busy southwest crossing needs X-ray for
// outbound trucks, a quiet northern one a lit, safe pull-off. The standard
// is YAML a person can read and change; the scoring is pure: surveys and
// crossings in, gaps and a national ranking out.
package gaps

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/outbound-oss/outbound"
)

// Standard is the classes of crossing, checked in order: a crossing takes
// the first class it matches.
type Standard struct {
	Classes []Class `yaml:"classes"`
}

// Class is a kind of crossing and what it needs.
type Class struct {
	ID     string `yaml:"id"`
	Border string `yaml:"border"` // "" for either
	// MinExits is the fewest exits a day that put a crossing in the class.
	MinExits float64 `yaml:"min_exits_per_day"`
	Needs    []Need  `yaml:"needs"`
}

// Need is one requirement: an item, and how much of it.
type Need struct {
	Item     string  `yaml:"item"`     // an equipment type, or one of the survey items below
	Count    float64 `yaml:"count"`    // equipment, outbound_lanes, secondary_bays: at least; mbps: at least; hazards: at most
	Level    string  `yaml:"level"`    // wifi, cellular: a signal; power: a power
	Severity string  `yaml:"severity"` // high, medium or low
}

// Items a need may name beside the equipment types.
var surveyItems = []string{"outbound_lanes", "secondary_bays", "canopy", "lighting", "barriers", "safe_pull_off",
	"wifi", "cellular", "mbps", "power", "hazards"}

// severities, heaviest first, and what each weighs in a score.
var severities = map[string]int{"high": 3, "medium": 2, "low": 1}

// Parse reads and checks a standard; an error names the file, the line
// where it can, and what is expected.
func Parse(file string, r io.Reader) (Standard, error) {
	var st Standard
	src, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return st, outbound.Errorf(outbound.EINVALID, "", "%s: %v", file, err)
	}
	if err := yaml.NewDecoder(bytes.NewReader(src), yaml.Strict()).Decode(&st); err != nil {
		msg := strings.Replace(strings.TrimPrefix(yaml.FormatError(err, false, false), "["), "] ", ": ", 1)
		return st, outbound.Errorf(outbound.EINVALID, "", "%s:%s", file, msg)
	}
	if len(st.Classes) == 0 {
		return st, outbound.Errorf(outbound.EINVALID, "classes", "%s: a standard needs at least one class", file)
	}
	ids := map[string]bool{}
	for i, c := range st.Classes {
		where := fmt.Sprintf("%s: classes[%d] (%s)", file, i, c.ID)
		switch {
		case c.ID == "" || ids[c.ID]:
			return st, outbound.Errorf(outbound.EINVALID, "id", "%s: every class needs an id of its own", where)
		case c.Border != "" && !outbound.Border(c.Border).Valid():
			return st, outbound.Errorf(outbound.EINVALID, "border", "%s: border %q is not southwest or northern", where, c.Border)
		case c.MinExits < 0:
			return st, outbound.Errorf(outbound.EINVALID, "min_exits_per_day", "%s: min_exits_per_day must not be negative", where)
		}
		ids[c.ID] = true
		for j, n := range c.Needs {
			if err := n.check(); err != nil {
				return st, outbound.Errorf(outbound.EINVALID, "needs", "%s: needs[%d]: %s", where, j, err)
			}
		}
	}
	return st, nil
}

func (n Need) check() error {
	equipment := slices.Contains(outbound.EquipmentTypes, outbound.EquipmentType(n.Item))
	switch {
	case !equipment && !slices.Contains(surveyItems, n.Item):
		return fmt.Errorf("item %q is not equipment (%v) or a survey item (%v)", n.Item, outbound.EquipmentTypes, surveyItems)
	case severities[n.Severity] == 0:
		return fmt.Errorf("severity %q is not high, medium or low", n.Severity)
	case n.Count < 0:
		return fmt.Errorf("count must not be negative")
	case (n.Item == "wifi" || n.Item == "cellular") && outbound.Signal(n.Level).Rank() < 0:
		return fmt.Errorf("level %q is not a signal (%v)", n.Level, outbound.Signals)
	case n.Item == "power" && !slices.Contains(outbound.Powers, outbound.Power(n.Level)):
		return fmt.Errorf("level %q is not a power (%v)", n.Level, outbound.Powers)
	}
	return nil
}

// Site is a crossing to score: its latest survey (nil if none) and its
// exits a day.
type Site struct {
	Crossing string
	Border   string
	Exits    float64
	Survey   *outbound.Survey
}

// Gap is one need a crossing does not meet.
type Gap struct {
	Item     string `json:"item"`
	Severity string `json:"severity"`
	Need     string `json:"need"`
	Have     string `json:"have"`
}

// Score is a crossing's gaps under its class; Points weighs them (high 3,
// medium 2, low 1).
type Score struct {
	Crossing string  `json:"crossing"`
	Border   string  `json:"border"`
	Class    string  `json:"class"` // "" when no class matches
	Exits    float64 `json:"exits_per_day"`
	Surveyed string  `json:"surveyed"` // the survey's day, "" if none
	Points   int     `json:"points"`
	Gaps     []Gap   `json:"gaps"`
}

// Rank scores every site and orders them, most points first, then
// busiest first, then by code: the national ranking.
func Rank(st Standard, sites []Site) []Score {
	out := make([]Score, 0, len(sites))
	for _, s := range sites {
		out = append(out, st.score(s))
	}
	slices.SortStableFunc(out, func(a, b Score) int {
		switch {
		case a.Points != b.Points:
			return b.Points - a.Points
		case a.Exits != b.Exits:
			if a.Exits > b.Exits {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Crossing, b.Crossing)
	})
	return out
}

func (st Standard) score(s Site) Score {
	sc := Score{Crossing: s.Crossing, Border: s.Border, Exits: s.Exits, Gaps: []Gap{}}
	i := slices.IndexFunc(st.Classes, func(c Class) bool { return (c.Border == "" || c.Border == s.Border) && s.Exits >= c.MinExits })
	if i < 0 {
		return sc
	}
	class := st.Classes[i]
	sc.Class = class.ID
	if s.Survey == nil {
		sc.Gaps = append(sc.Gaps, Gap{Item: "survey", Severity: "high", Need: "a survey", Have: "none"})
		sc.Points = severities["high"]
		return sc
	}
	sc.Surveyed = s.Survey.Day.String()
	for _, n := range class.Needs {
		if need, have, ok := n.met(s.Survey); !ok {
			sc.Gaps = append(sc.Gaps, Gap{Item: n.Item, Severity: n.Severity, Need: need, Have: have})
			sc.Points += severities[n.Severity]
		}
	}
	return sc
}

// met says what the need asks, what the survey has, and whether it is
// enough.
func (n Need) met(s *outbound.Survey) (need, have string, ok bool) {
	atLeast := func(have float64) (string, string, bool) {
		return fmt.Sprintf("at least %g", n.Count), fmt.Sprintf("%g", have), have >= n.Count
	}
	yes := func(have bool) (string, string, bool) {
		if have {
			return "yes", "yes", true
		}
		return "yes", "no", false
	}
	switch n.Item {
	case "outbound_lanes":
		return atLeast(float64(s.OutboundLanes))
	case "secondary_bays":
		return atLeast(float64(s.SecondaryBays))
	case "mbps":
		return atLeast(s.Mbps)
	case "canopy":
		return yes(s.Canopy)
	case "lighting":
		return yes(s.Lighting)
	case "barriers":
		return yes(s.Barriers)
	case "safe_pull_off":
		return yes(s.SafePullOff)
	case "wifi", "cellular":
		got := s.WiFi
		if n.Item == "cellular" {
			got = s.Cellular
		}
		return "at least " + n.Level, string(got), got.Rank() >= outbound.Signal(n.Level).Rank()
	case "power":
		// Powers are listed best first.
		return "at least " + n.Level, string(s.Power), slices.Index(outbound.Powers, s.Power) <= slices.Index(outbound.Powers, outbound.Power(n.Level))
	case "hazards":
		return fmt.Sprintf("at most %g", n.Count), fmt.Sprint(len(s.Hazards)), float64(len(s.Hazards)) <= n.Count
	}
	// Equipment: working units of the type.
	return atLeast(float64(s.Working(outbound.EquipmentType(n.Item))))
}

// Render writes the ranking as text: one line per crossing, its gaps
// under it.
func Render(w io.Writer, ranking []Score) error {
	for i, s := range ranking {
		class := s.Class
		if class == "" {
			class = "(no class)"
		}
		surveyed := s.Surveyed
		if surveyed == "" {
			surveyed = "never"
		}
		fmt.Fprintf(w, "%d. %s (%s, %s, %.0f exits a day, surveyed %s): %d points\n", i+1, s.Crossing, s.Border, class, s.Exits, surveyed, s.Points)
		for _, g := range s.Gaps {
			fmt.Fprintf(w, "   %-6s %-18s needs %s, has %s\n", g.Severity, g.Item, g.Need, g.Have)
		}
	}
	return nil
}
