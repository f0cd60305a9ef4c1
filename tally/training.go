package tally

import (
	"cmp"
	"slices"
	"strings"

	"github.com/outbound-oss/outbound"
)

// TrainingCoverage is, for one crossing and one modality (or technique),
// how many officers inspected with it in a period and how many of them
// held a course for it, valid on the period's last day.
type TrainingCoverage struct {
	Crossing  string   `json:"crossing"`
	AppliesTo string   `json:"applies_to"`
	Officers  int      `json:"officers"`
	Trained   int      `json:"trained"`
	Share     float64  `json:"share"`
	Untrained []string `json:"untrained"` // badges, sorted
}

// Expiring is a training record that expires soon.
type Expiring struct {
	Badge     string        `json:"badge"`
	Course    string        `json:"course"`
	ExpiresOn outbound.Date `json:"expires_on"`
}

// Practice is a modality or technique used at a crossing, which a course
// of the catalogue may apply to.
type Practice struct{ Crossing, AppliesTo string }

// Training measures training coverage: for each practice, the badges of
// the officers who inspected with it (a set), how many of them hold a
// course the catalogue lists for it (courses: applies_to -> course ids)
// that is valid on day to, by their records (badge -> records). It also
// lists the records that expire in the within days after to. Both lists
// are sorted, coverage by crossing and practice, expiring by date.
func Training(officers map[Practice]map[string]bool, records map[string][]outbound.TrainingRecord, courses map[string][]string,
	to outbound.Date, within int) ([]TrainingCoverage, []Expiring) {
	var out []TrainingCoverage
	for k, badges := range officers {
		c := TrainingCoverage{Crossing: k.Crossing, AppliesTo: k.AppliesTo, Untrained: []string{}}
		for b := range badges {
			c.Officers++
			if slices.ContainsFunc(records[b], func(t outbound.TrainingRecord) bool {
				return slices.Contains(courses[k.AppliesTo], t.Course) && t.ValidOn(to)
			}) {
				c.Trained++
			} else {
				c.Untrained = append(c.Untrained, b)
			}
		}
		slices.Sort(c.Untrained)
		c.Share = float64(c.Trained) / float64(c.Officers)
		out = append(out, c)
	}
	slices.SortFunc(out, func(x, y TrainingCoverage) int {
		return strings.Compare(x.Crossing+"/"+x.AppliesTo, y.Crossing+"/"+y.AppliesTo)
	})
	var expiring []Expiring
	until := to.AddDays(within)
	for _, rs := range records {
		for _, t := range rs {
			if !t.ExpiresOn.IsZero() && to.Before(t.ExpiresOn) && !until.Before(t.ExpiresOn) {
				expiring = append(expiring, Expiring{Badge: t.Badge, Course: t.Course, ExpiresOn: t.ExpiresOn})
			}
		}
	}
	// The records come from a map, in no order: the badge breaks a tie of
	// the joined key ("B1"+"2x" and "B12"+"x"), so that the order is one.
	slices.SortFunc(expiring, func(x, y Expiring) int {
		return cmp.Or(strings.Compare(x.ExpiresOn.String()+x.Badge+x.Course, y.ExpiresOn.String()+y.Badge+y.Course),
			strings.Compare(x.Badge, y.Badge))
	})
	return out, expiring
}
