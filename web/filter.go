package web

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/outbound-oss/outbound"
)

// selection is what a query string selects: a period of local days and
// the filters the API's lists and reports and the pages share.
type selection struct {
	outbound.Period
	Border      outbound.Border
	FieldOffice string
	Crossing    string
	Modality    outbound.Modality
	Outcome     outbound.Outcome
	Limit       int    // lists only; 0 means the default page size
	Cursor      string // lists only
}

// parseSelection is the one parser of from, to, border, field_office,
// crossing, modality, outcome, limit and cursor. It reads the period and
// the vocabularies through the root package's parsers, which the CLI uses
// for its flags too, so a mistake gets one message, naming the field, on
// the CLI, the API and the pages. An empty from or to takes def's day: a
// zero def leaves it open, as lists do; callers that need both ends
// validate the period.
func parseSelection(q url.Values, def outbound.Period) (selection, error) {
	sel := selection{FieldOffice: q.Get("field_office"), Crossing: q.Get("crossing"), Cursor: q.Get("cursor")}
	var err error
	if sel.Period, err = outbound.ParsePeriodOr(q.Get("from"), q.Get("to"), def); err != nil {
		return sel, err
	}
	if sel.Border, err = outbound.ParseBorder(q.Get("border")); err != nil {
		return sel, err
	}
	if sel.Modality, err = outbound.ParseModality(q.Get("modality")); err != nil {
		return sel, err
	}
	if sel.Outcome, err = outbound.ParseOutcome(q.Get("outcome")); err != nil {
		return sel, err
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > outbound.MaxPageSize {
			return sel, outbound.Errorf(outbound.EINVALID, "limit", "limit %s must be a whole number from 1 to %d", outbound.Shown(v), outbound.MaxPageSize)
		}
		sel.Limit = n
	}
	return sel, nil
}

// filter is the selection as a list's filter.
func (sel selection) filter() outbound.Filter {
	return outbound.Filter{Crossing: sel.Crossing, From: sel.From, To: sel.To, Limit: sel.Limit, Cursor: sel.Cursor}
}

// reportFilter is the selection as a report's filter.
func (sel selection) reportFilter() outbound.ReportFilter {
	return outbound.ReportFilter{From: sel.From, To: sel.To, Border: string(sel.Border), FieldOffice: sel.FieldOffice, Crossing: sel.Crossing}
}

// parseFilter reads a list's query: either end of the period may be open.
func parseFilter(r *http.Request) (outbound.Filter, error) {
	sel, err := parseSelection(r.URL.Query(), outbound.Period{})
	return sel.filter(), err
}

// period reads a query whose from and to are both required, as the API's
// reports, compliance, policy checks, schedules and operations ask. Their
// services bound the length, each its own.
func period(r *http.Request) (selection, error) {
	sel, err := parseSelection(r.URL.Query(), outbound.Period{})
	if err == nil {
		err = sel.Validate(outbound.AnyLength)
	}
	return sel, err
}

// pageDays is how many days a page shows unless from or to says
// otherwise: the last ones, to yesterday.
const pageDays = 90

// pageFilter reads a page's selection: the period is the last pageDays to
// yesterday unless from or to says otherwise, and at most as long as a
// report may run. The days are UTC's here; each report then counts them
// as each crossing's local days.
func (s *Server) pageFilter(q url.Values) (outbound.ReportFilter, error) {
	today := outbound.DateOf(s.now().UTC())
	sel, err := parseSelection(q, outbound.Period{From: today.AddDays(-pageDays), To: today.AddDays(-1)})
	if err == nil {
		err = sel.Validate(outbound.MaxReportDays)
	}
	return sel.reportFilter(), err
}

// The query parameters each route reads (the route table names one of
// these per route). A parameter belongs here only if the route applies
// it: lists filter by crossing and day only, so a border or a modality
// there is refused rather than silently ignored.
var (
	listQuery           = []string{"crossing", "from", "to", "limit", "cursor"}
	inspectionListQuery = append(slices.Clip(listQuery), "modality", "outcome", "include_voided")
	periodQuery         = []string{"crossing", "from", "to"}
	datesQuery          = []string{"from", "to"}
	reportQuery         = []string{"from", "to", "border", "field_office", "crossing"}
	reportAPIQuery      = append(slices.Clip(reportQuery), "format", "hourly_rate", "min_coverage", "source")
	budgetQuery         = []string{"fiscal_year", "target_rate", "hourly_rate", "default_minutes", "block_hours", "shift_hours"}
	budgetAPIQuery      = append(slices.Clip(budgetQuery), "format")
	// A crossing's page takes its crossing from the path; its list of
	// inspections pages and filters like the API's.
	crossingPageQuery = []string{"from", "to", "border", "field_office", "modality", "outcome", "include_voided", "cursor"}
	inForceQuery      = []string{"crossing", "date"}
	crossingQuery     = []string{"crossing"}
	cursorQuery       = []string{"cursor"}
	nextQuery         = []string{"next"}                       // where to go after signing in
	assetQuery        = []string{"v"}                          // the build's version, which makes a file cacheable
	deskQuery         = []string{"crossing", "done"}           // done: what the form just did
	supervisorQuery   = append(slices.Clip(deskQuery), "edit") // edit: the staffing version to edit
)

// knownQuery refuses, before the route's handler runs, a query string that
// does not parse or that names a parameter the route does not read: 400
// naming it, as JSON on the API and as a page on the pages.
func (s *Server) knownQuery(rt route) http.HandlerFunc {
	_, path, _ := strings.Cut(rt.pattern, " ")
	fail := s.fail
	if isPagePath(path) {
		fail = s.pageFail // a person at a browser reads a page
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" {
			rt.handler(w, r)
			return
		}
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			fail(w, r, outbound.Errorf(outbound.EINVALID, "", "the query string does not parse: %v", err))
			return
		}
		for _, name := range slices.Sorted(maps.Keys(q)) {
			if slices.Contains(rt.query, name) {
				continue
			}
			takes := "no query parameters"
			if len(rt.query) > 0 {
				takes = "only " + strings.Join(rt.query, ", ")
			}
			fail(w, r, outbound.Errorf(outbound.EINVALID, outbound.Clip(name), "unknown query parameter %s: %s takes %s", outbound.Shown(name), r.URL.Path, takes))
			return
		}
		rt.handler(w, r)
	}
}
