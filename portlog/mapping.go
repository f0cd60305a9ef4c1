// Package portlog reads the ports' own inspection logs, CSV or XLSX, into
// inspections to import as history (docs/import.md): a template of
// columns, and a mapping file that names a port's own columns and words
// for them, so that a spreadsheet kept for years is read as it is.
//
// A row becomes an outbound.Inspection: times carry their zone or are the
// crossing's local time; lists (techniques, officers) are separated by
// ";"; seizures are numbered groups of columns. Without an id column a
// row's id is a UUID v5 of its content, so the same row read again, from
// this file or another, is the same inspection.
package portlog

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/outbound-oss/outbound"
)

// Columns are the template's columns (docs/import.md). id, ended_at (or
// minutes), operation_id, notes and the seizure groups are optional.
var Columns = []string{"id", "crossing", "started_at", "ended_at", "minutes", "modality", "techniques", "trigger",
	"officers", "outcome", "operation_id", "notes"}

// Required are the columns every file needs (with ended_at or minutes).
var Required = []string{"crossing", "started_at", "modality", "techniques", "trigger", "officers", "outcome"}

// SeizureFields are the columns of one seizure: seizureN_category,
// seizureN_quantity, seizureN_unit and seizureN_value_usd, N from 1.
var SeizureFields = []string{"category", "quantity", "unit", "value_usd"}

// seizureColumn matches a seizure group's column.
var seizureColumn = regexp.MustCompile(`^seizure([1-9][0-9]?)_(category|quantity|unit|value_usd)$`)

// vocabularies are the columns whose words a mapping may translate, and
// the words the template takes; seizure_category stands for every
// seizureN_category.
var vocabularies = map[string][]string{
	"modality":         words(outbound.Modalities),
	"techniques":       words(outbound.Techniques),
	"trigger":          words(outbound.Triggers),
	"outcome":          words(outbound.Outcomes),
	"seizure_category": words(outbound.Categories),
}

func words[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = string(v)
	}
	return out
}

// Mapping says how a port's file differs from the template.
type Mapping struct {
	// Columns maps a template column to the file's header for it.
	Columns map[string]string `yaml:"columns"`
	// Values maps, per vocabulary column, the file's word to the
	// template's ("POV": personal_vehicle). Words are matched without
	// regard to case or surrounding spaces.
	Values map[string]map[string]string `yaml:"values"`
	// TimeLayout is the layout of local times in the file, in Go's
	// reference time ("01/02/2006 15:04"); empty takes the template's.
	TimeLayout string `yaml:"time_layout"`
	// Separator separates the items of techniques and officers; ";" when empty.
	Separator string `yaml:"separator"`
	// Sheet names the XLSX sheet to read when the workbook has several.
	Sheet string `yaml:"sheet"`
}

// MaxMappingBytes bounds a mapping file: a few hundred lines do for any log.
const MaxMappingBytes = 64 << 10

// ParseMapping reads a mapping file, refusing unknown keys, columns that
// are not the template's and words that are not the vocabulary's.
func ParseMapping(src []byte) (*Mapping, error) {
	m := &Mapping{}
	if len(src) > MaxMappingBytes {
		return nil, outbound.Errorf(outbound.EINVALID, "mapping", "a mapping file holds at most %d bytes", MaxMappingBytes)
	}
	if err := yaml.NewDecoder(bytes.NewReader(src), yaml.Strict()).Decode(m); err != nil {
		return nil, outbound.Errorf(outbound.EINVALID, "mapping", "%s", strings.ReplaceAll(yaml.FormatError(err, false, false), "\n", " "))
	}
	seen := map[string]string{}
	for col, header := range m.Columns {
		if !templateColumn(col) {
			return nil, outbound.Errorf(outbound.EINVALID, "columns."+col, "columns: %q is not a template column (%s, seizureN_%s)",
				col, strings.Join(Columns, ", "), strings.Join(SeizureFields, "|"))
		}
		h := normal(header)
		if h == "" {
			return nil, outbound.Errorf(outbound.EINVALID, "columns."+col, "columns: %s names no header", col)
		}
		if other, ok := seen[h]; ok {
			return nil, outbound.Errorf(outbound.EINVALID, "columns."+col, "columns: %s and %s both name header %q", other, col, header)
		}
		seen[h] = col
	}
	for col, words := range m.Values {
		allowed, ok := vocabularies[col]
		if !ok {
			return nil, outbound.Errorf(outbound.EINVALID, "values."+col, "values: %q has no vocabulary; values are for %s", col, strings.Join(sortedKeys(vocabularies), ", "))
		}
		for from, to := range words {
			if !slices.Contains(allowed, to) {
				return nil, outbound.Errorf(outbound.EINVALID, "values."+col, "values.%s: %q maps to %q, which is not %s", col, from, to, strings.Join(allowed, ", "))
			}
		}
	}
	if m.Separator != "" && (len(m.Separator) != 1 || strings.ContainsAny(m.Separator, "\"\r\n")) {
		return nil, outbound.Errorf(outbound.EINVALID, "separator", "separator is one character, such as ; or |")
	}
	if len(m.TimeLayout) > 64 {
		return nil, outbound.Errorf(outbound.EINVALID, "time_layout", "time_layout is at most 64 characters")
	}
	return m, nil
}

func templateColumn(col string) bool {
	return slices.Contains(Columns, col) || seizureColumn.MatchString(col)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// normal is how headers and words are compared: case and surrounding
// space do not matter.
func normal(s string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
}

// translate returns the template's word for a file's word in a
// vocabulary column.
func (m *Mapping) translate(vocab, word string) string {
	w := normal(word)
	for from, to := range m.Values[vocab] {
		if normal(from) == w {
			return to
		}
	}
	return w
}

// seizureGroups returns the seizure group numbers a header holds, in order.
func seizureGroups(col map[string]int) ([]int, error) {
	var groups []int
	for c := range col {
		if sm := seizureColumn.FindStringSubmatch(c); sm != nil {
			n, _ := strconv.Atoi(sm[1])
			if !slices.Contains(groups, n) {
				groups = append(groups, n)
			}
		}
	}
	slices.Sort(groups)
	for _, n := range groups {
		for _, f := range SeizureFields {
			if _, ok := col[fmt.Sprintf("seizure%d_%s", n, f)]; !ok {
				return nil, outbound.Errorf(outbound.EINVALID, fmt.Sprintf("seizure%d_%s", n, f),
					"the header has seizure %d's other columns but no seizure%d_%s", n, n, f)
			}
		}
	}
	if len(groups) > outbound.MaxSeizures {
		return nil, outbound.Errorf(outbound.EINVALID, "seizures", "at most %d seizure groups", outbound.MaxSeizures)
	}
	return groups, nil
}
