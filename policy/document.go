// Package policy reads the national outbound policy and local procedures
// (YAML, DESIGN section 5), finds what is wrong with them, checks
// inspections against the policy in force, and computes minimum-frequency
// compliance. It is pure: no I/O beyond the reader it is given; crossings,
// clocks and records come in as arguments.
package policy

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/outbound-oss/outbound"
)

// Kinds of document.
const (
	National = "national"
	Local    = "local"
)

// Document is one policy document: a national policy version, or a local
// procedure that overlays it at some crossings.
type Document struct {
	File        string   `yaml:"-" json:"file"`
	Line        int      `yaml:"-" json:"line"`
	Kind        string   `yaml:"kind" json:"kind"`
	ID          string   `yaml:"id" json:"id"`
	Effective   string   `yaml:"effective" json:"effective"` // YYYY-MM-DD
	Crossings   []string `yaml:"crossings" json:"crossings,omitempty"`
	FieldOffice string   `yaml:"field_office" json:"field_office,omitempty"`
	Rules       []Rule   `yaml:"rules" json:"rules"`

	effective outbound.Date
}

// Rule is one requirement with the scope it applies to.
type Rule struct {
	Line           int            `yaml:"-" json:"line"`
	ID             string         `yaml:"id" json:"id"`
	Scope          Scope          `yaml:"scope" json:"scope"`
	MinInspections *Frequency     `yaml:"min_inspections" json:"min_inspections,omitempty"`
	Officers       *Range         `yaml:"officers" json:"officers,omitempty"`
	Techniques     *TechniqueRule `yaml:"techniques" json:"techniques,omitempty"`
	Training       []string       `yaml:"training" json:"training,omitempty"`
	MaxDiversion   *Diversion     `yaml:"max_diversion" json:"max_diversion,omitempty"`
	LaneSelection  *LaneSelection `yaml:"lane_selection" json:"lane_selection,omitempty"`
	Reason         string         `yaml:"reason" json:"reason,omitempty"` // why a local rule differs from others
}

// Scope says which inspections (or crossings, for frequencies) a rule is
// about. A missing key means "any".
type Scope struct {
	Border      string   `yaml:"border" json:"border,omitempty"`
	FieldOffice string   `yaml:"field_office" json:"field_office,omitempty"`
	Crossings   []string `yaml:"crossings" json:"crossings,omitempty"`
	Modalities  []string `yaml:"modalities" json:"modalities,omitempty"`
	Techniques  []string `yaml:"techniques" json:"techniques,omitempty"`
	Triggers    []string `yaml:"triggers" json:"triggers,omitempty"`
	Hours       string   `yaml:"hours" json:"hours,omitempty"` // local "HH:MM-HH:MM"; may wrap midnight
	Days        []string `yaml:"days" json:"days,omitempty"`   // mon..sun

	set map[string]bool // which keys were given, even as empty lists
}

// Frequency is "at least Count inspections per day, week or month".
type Frequency struct {
	Count int    `yaml:"count" json:"count"`
	Per   string `yaml:"per" json:"per"`
}

// Range bounds officers per inspection.
type Range struct {
	Min *int `yaml:"min" json:"min,omitempty"`
	Max *int `yaml:"max" json:"max,omitempty"`
}

// TechniqueRule says which techniques an inspection must use, and which it
// may use at all.
type TechniqueRule struct {
	Required []string `yaml:"required" json:"required,omitempty"`
	Allowed  []string `yaml:"allowed" json:"allowed,omitempty"`
}

// Diversion caps the share of planned outbound hours diverted to inbound.
type Diversion struct {
	Share float64 `yaml:"share" json:"share"`
	Per   string  `yaml:"per" json:"per"`
}

// LaneSelection is how outbound lanes pick vehicles at random: an
// ordinary vehicle (risk score 1) is inspected with probability Rate, and
// every vehicle, however low its score, with at least MinRandom, as
// customs selectivity keeps a random share beyond risk targeting.
type LaneSelection struct {
	Rate      float64 `yaml:"rate" json:"rate"`
	MinRandom float64 `yaml:"min_random" json:"min_random"`
}

// Probability is the chance a vehicle with the given risk score is
// inspected: MinRandom + (Rate - MinRandom) x score, at most 1.
func (l *LaneSelection) Probability(score float64) float64 {
	return min(1, l.MinRandom+(l.Rate-l.MinRandom)*score)
}

// UnmarshalYAML keeps the rule's line for findings.
func (r *Rule) UnmarshalYAML(node ast.Node) error {
	type plain Rule
	var p plain
	if err := yaml.NodeToValue(node, &p, yaml.Strict()); err != nil {
		return err
	}
	*r = Rule(p)
	r.Line = node.GetToken().Position.Line
	return nil
}

// UnmarshalYAML remembers which scope keys were given: "modalities: []"
// is a scope that matches nothing, not one that matches anything.
func (s *Scope) UnmarshalYAML(node ast.Node) error {
	type plain Scope
	var p plain
	if err := yaml.NodeToValue(node, &p, yaml.Strict()); err != nil {
		return err
	}
	*s = Scope(p)
	s.set = map[string]bool{}
	if m, ok := node.(*ast.MappingNode); ok {
		for _, v := range m.Values {
			s.set[v.Key.String()] = true
		}
	}
	return nil
}

// Parse reads every document of a policy file. A syntax error, an unknown
// key or a value of the wrong type is an error naming file, line and
// column; what is wrong with well-formed documents is for Check to find.
func Parse(file string, r io.Reader) ([]Document, error) {
	src, err := io.ReadAll(io.LimitReader(r, 4<<20))
	if err != nil {
		return nil, outbound.Errorf(outbound.EINVALID, "", "%s: %v", file, err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(src)), yaml.Strict())
	var docs []Document
	for {
		var d Document
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// goccy formats "[line:column] message".
			msg := strings.Replace(strings.TrimPrefix(yaml.FormatError(err, false, false), "["), "] ", ": ", 1)
			return nil, outbound.Errorf(outbound.EINVALID, "", "%s:%s", file, msg)
		}
		d.File = file
		d.Line = docLine(src, len(docs))
		if err := d.parseHeader(); err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	if len(docs) == 0 {
		return nil, outbound.Errorf(outbound.EINVALID, "", "%s: no policy document in the file", file)
	}
	return docs, nil
}

// parseHeader checks the document's own keys; a bad header makes the rest
// meaningless, so it is an error rather than a finding.
func (d *Document) parseHeader() error {
	at := fmt.Sprintf("%s:%d", d.File, d.Line)
	switch d.Kind {
	case National, Local:
	default:
		return outbound.Errorf(outbound.EINVALID, "kind", "%s: kind %q must be national or local", at, d.Kind)
	}
	if d.ID == "" {
		return outbound.Errorf(outbound.EINVALID, "id", "%s: the document needs an id", at)
	}
	t, err := time.Parse(time.DateOnly, d.Effective)
	if err != nil {
		return outbound.Errorf(outbound.EINVALID, "effective", "%s: effective %q must be a date, YYYY-MM-DD", at, d.Effective)
	}
	d.effective = outbound.DateOf(t)
	if d.Kind == National && (len(d.Crossings) > 0 || d.FieldOffice != "") {
		return outbound.Errorf(outbound.EINVALID, "crossings", "%s: a national policy applies everywhere; crossings and field_office are for local procedures", at)
	}
	return nil
}

// EffectiveDate is the day the document comes into force.
func (d *Document) EffectiveDate() outbound.Date { return d.effective }

// docLine finds the line where the n-th document (from 0) starts.
func docLine(src []byte, n int) int {
	line, doc := 1, 0
	lines := strings.Split(string(src), "\n")
	started := false
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "---") {
			if started {
				doc++
			}
			started = false
			continue
		}
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if !started {
			started = true
			if doc == n {
				return i + 1
			}
		}
	}
	return line
}
