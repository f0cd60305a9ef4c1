package gaps

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/outbound-oss/outbound"
)

// Catalogue prices what closes a gap: per item, the cost of one unit, of
// installing it, of keeping it a year, and how many years it lasts.
type Catalogue struct {
	Items []Price `yaml:"items"`
}

// Price is one catalogue line.
type Price struct {
	Item        string  `yaml:"item"` // as a standard's needs name it
	Unit        float64 `yaml:"unit_cost"`
	Install     float64 `yaml:"install"`
	Maintenance float64 `yaml:"yearly_maintenance"`
	Life        float64 `yaml:"life_years"`
	Note        string  `yaml:"note"`
}

// ParseCatalogue reads and checks a cost catalogue.
func ParseCatalogue(file string, r io.Reader) (Catalogue, error) {
	var c Catalogue
	src, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return c, outbound.Errorf(outbound.EINVALID, "", "%s: %v", file, err)
	}
	if err := yaml.NewDecoder(bytes.NewReader(src), yaml.Strict()).Decode(&c); err != nil {
		msg := strings.Replace(strings.TrimPrefix(yaml.FormatError(err, false, false), "["), "] ", ": ", 1)
		return c, outbound.Errorf(outbound.EINVALID, "", "%s:%s", file, msg)
	}
	seen := map[string]bool{}
	for i, p := range c.Items {
		where := fmt.Sprintf("%s: items[%d] (%s)", file, i, p.Item)
		switch {
		case !slices.Contains(outbound.EquipmentTypes, outbound.EquipmentType(p.Item)) && !slices.Contains(surveyItems, p.Item):
			return c, outbound.Errorf(outbound.EINVALID, "item", "%s: item %q is not one a standard can need", where, p.Item)
		case seen[p.Item]:
			return c, outbound.Errorf(outbound.EINVALID, "item", "%s: %s is priced twice", where, p.Item)
		case p.Unit < 0 || p.Install < 0 || p.Maintenance < 0:
			return c, outbound.Errorf(outbound.EINVALID, "unit_cost", "%s: costs must not be negative", where)
		case !(p.Life >= 1 && p.Life <= 100):
			return c, outbound.Errorf(outbound.EINVALID, "life_years", "%s: life_years must be 1 to 100", where)
		}
		seen[p.Item] = true
	}
	return c, nil
}

// CostLine is what closing one gap at one crossing costs.
type CostLine struct {
	Crossing    string  `json:"crossing"`
	Item        string  `json:"item"`
	Severity    string  `json:"severity"`
	Quantity    float64 `json:"quantity"`
	Unit        float64 `json:"unit_cost"`
	Install     float64 `json:"install"`
	Maintenance float64 `json:"yearly_maintenance"`
	Life        float64 `json:"life_years"`
	Capital     float64 `json:"capital"`    // quantity x (unit + install)
	FirstYear   float64 `json:"first_year"` // capital + a year of maintenance
	Annualized  float64 `json:"annualized"` // capital over its life, plus maintenance
	Unpriced    bool    `json:"unpriced"`   // the catalogue has no price for the item
}

// Costs prices every gap of a ranking that equipment or works can close
// (surveys, hazards and signals aside when the catalogue has no price: they
// are listed as unpriced). Quantity is the shortfall for counted items and
// 1 for the rest; mbps, a throughput, is priced per link.
func Costs(ranking []Score, cat Catalogue) []CostLine {
	prices := map[string]Price{}
	for _, p := range cat.Items {
		prices[p.Item] = p
	}
	var out []CostLine
	for _, s := range ranking {
		for _, g := range s.Gaps {
			l := CostLine{Crossing: s.Crossing, Item: g.Item, Severity: g.Severity, Quantity: 1}
			if short, ok := shortfall(g); ok && g.Item != "mbps" {
				l.Quantity = short
			}
			p, ok := prices[g.Item]
			if !ok {
				l.Unpriced = true
				out = append(out, l)
				continue
			}
			l.Unit, l.Install, l.Maintenance, l.Life = p.Unit, p.Install, p.Maintenance, p.Life
			l.Capital = l.Quantity * (p.Unit + p.Install)
			l.FirstYear = l.Capital + l.Quantity*p.Maintenance
			l.Annualized = l.Capital/p.Life + l.Quantity*p.Maintenance
			out = append(out, l)
		}
	}
	return out
}

// shortfall reads "at least N" needs against what is had.
func shortfall(g Gap) (float64, bool) {
	var need, have float64
	if _, err := fmt.Sscanf(g.Need, "at least %g", &need); err != nil {
		return 0, false
	}
	if _, err := fmt.Sscanf(g.Have, "%g", &have); err != nil {
		return 0, false
	}
	return math.Ceil(need - have), true
}

// RenderCosts writes the cost lines with their arithmetic, and totals.
func RenderCosts(w io.Writer, lines []CostLine) error {
	var capital, first, annual float64
	for _, l := range lines {
		if l.Unpriced {
			fmt.Fprintf(w, "%s %s (%s): not in the catalogue\n", l.Crossing, l.Item, l.Severity)
			continue
		}
		fmt.Fprintf(w, "%s %s (%s): %g x (%.2f unit + %.2f install) = %.2f capital; + %g x %.2f maintenance = %.2f the first year; %.2f / %g years + %.2f = %.2f a year\n",
			l.Crossing, l.Item, l.Severity, l.Quantity, l.Unit, l.Install, l.Capital, l.Quantity, l.Maintenance, l.FirstYear,
			l.Capital, l.Life, l.Quantity*l.Maintenance, l.Annualized)
		capital, first, annual = capital+l.Capital, first+l.FirstYear, annual+l.Annualized
	}
	_, err := fmt.Fprintf(w, "total: %.2f capital, %.2f the first year, %.2f a year\n", capital, first, annual)
	return err
}

// Plan is the standard and the cost catalogue a ranking and a budget rest
// on, each with where it came from (a file, or a published version); nil
// when there is none.
type Plan struct {
	Standard      *Standard
	StandardFrom  string
	Catalogue     *Catalogue
	CatalogueFrom string
}
