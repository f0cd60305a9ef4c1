package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

type inspectionView struct {
	Current outbound.Inspection
	History []inspectionRow
	CanEdit bool
	Error   string
	// Refused is the correction or void the server refused, shown again
	// as typed with why at its field.
	Refused refusal
	// Start and Minutes are the current version's start, in the
	// crossing's time, and its length, as the correction form shows them.
	Start, Minutes string
	// Seizures are the correction form's seizure rows: the current
	// version's (or those typed) and one more, empty, to add one.
	Seizures   []seizureRow
	Categories []outbound.Category
	Zone       *time.Location // the crossing's, for every time the page shows
	Modalities []outbound.Modality
	Techniques []outbound.Technique
	Triggers   []outbound.Trigger
	Outcomes   []outbound.Outcome
}

// inspectionPage shows every version of an inspection, and to those who
// may edit it, the forms to correct or void it with a reason.
func (s *Server) inspectionPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.signedIn(w, r); !ok {
		return
	}
	s.showInspection(w, r, http.StatusOK, refusal{})
}

// seizureRow is one seizure as the correction form shows it.
type seizureRow struct {
	N                               int
	Category, Quantity, Unit, Value string
}

// startLayout is how the correction form writes a start time
// (datetime-local), in the crossing's time.
const startLayout = "2006-01-02T15:04"

func (s *Server) showInspection(w http.ResponseWriter, r *http.Request, status int, f refusal) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.pageFail(w, r, outbound.Errorf(outbound.ENOTFOUND, "id", "no inspection %s", outbound.Shown(r.PathValue("id"))))
		return
	}
	history, err := s.Inspections.InspectionHistory(r.Context(), id)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	c, err := s.Crossings.FindCrossing(r.Context(), history[0].Crossing)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	v := inspectionView{Current: history[len(history)-1], Refused: f, Zone: c.Location(), Modalities: outbound.Modalities,
		Techniques: outbound.Techniques, Triggers: outbound.Triggers, Outcomes: outbound.Outcomes, Categories: outbound.Categories}
	if f.Form != "" && f.Field == "" || f.Field == "version" || f.Field == "replaces" {
		v.Error = f.Error
	}
	v.CanEdit = !v.Current.Voided && outbound.Authorize(r.Context(), outbound.EditInspection, v.Current.Crossing) == nil
	cur := v.Current
	v.Start, v.Minutes = cur.StartedAt.In(v.Zone).Format(startLayout), strconv.Itoa(int(cur.EndedAt.Sub(cur.StartedAt).Round(time.Minute).Minutes()))
	if f.Of("edit") {
		for n := 0; f.Values.Has(seizureField("category", n)); n++ {
			v.Seizures = append(v.Seizures, seizureRow{n, f.Values.Get(seizureField("category", n)), f.Values.Get(seizureField("quantity", n)),
				f.Values.Get(seizureField("unit", n)), f.Values.Get(seizureField("value", n))})
		}
	} else {
		for n, z := range cur.Seizures {
			v.Seizures = append(v.Seizures, seizureRow{n, string(z.Category), fmtFloat(z.Quantity), z.Unit, fmtFloat(z.ValueUSD)})
		}
		if len(v.Seizures) < outbound.MaxSeizures {
			v.Seizures = append(v.Seizures, seizureRow{N: len(v.Seizures)})
		}
	}
	for i := len(history) - 1; i >= 0; i-- {
		v.History = append(v.History, inspectionRow{history[i], localTime(history[i].StartedAt, v.Zone)})
	}
	s.render(w, r, status, "inspection", "Inspection at "+c.Name, v)
}

// editInspection stores a correction or a void of the current version as
// a new version that names it, with the reason given; a stale form (the
// version was edited meanwhile), or one for a voided inspection, is
// refused and the page says so. A refused form shows again as typed, with
// why at its field.
func (s *Server) editInspection(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, outbound.EditInspection); !ok {
		return
	}
	cur, err := uuid.Parse(r.PostFormValue("version"))
	if err != nil {
		s.pageFail(w, r, outbound.Errorf(outbound.EINVALID, "version", "the form names no version to edit"))
		return
	}
	in, err := s.Inspections.FindInspection(r.Context(), cur)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	form := r.PostFormValue("action")
	if form != "void" {
		form = "edit"
	}
	refuse := func(err error) {
		status, ok := s.formFault(w, r, err)
		if ok {
			s.showInspection(w, r, status, refused(form, r.PostForm, err))
		}
	}
	if in.Voided {
		refuse(outbound.Errorf(outbound.ECONFLICT, "version", "this inspection was voided (%s): a void is final; record the inspection again if it happened", in.Reason))
		return
	}
	c, err := s.Crossings.FindCrossing(r.Context(), in.Crossing)
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	var next outbound.Inspection
	if form == "void" {
		next = in.Void(uuid.New(), reason)
	} else {
		next = in.NextVersion(uuid.New(), reason)
		if err := correction(r, &next, in, c.Location()); err != nil {
			refuse(err)
			return
		}
	}
	res, err := s.Inspections.RecordInspections(r.Context(), []outbound.Inspection{next})
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if e := res[0].Err; e != nil {
		refuse(e)
		return
	}
	http.Redirect(w, r, "/inspections/"+next.ID.String(), http.StatusSeeOther)
}

// correction sets next to what the correction form says: its choices,
// officers and notes and, when the form has them, the start (in the
// crossing's time zone), the length in minutes and the seizures. A start
// or length left as the form showed it keeps the version's to the second.
func correction(r *http.Request, next *outbound.Inspection, in outbound.Inspection, zone *time.Location) error {
	next.Modality, next.Trigger, next.Outcome = outbound.Modality(r.PostFormValue("modality")), outbound.Trigger(r.PostFormValue("trigger")), outbound.Outcome(r.PostFormValue("outcome"))
	next.Techniques = nil
	for _, t := range r.PostForm["techniques"] {
		next.Techniques = append(next.Techniques, outbound.Technique(t))
	}
	next.Officers = outbound.ParseBadges(r.PostFormValue("officers"))
	next.Notes = r.PostFormValue("notes")
	if v := r.PostFormValue("started_at"); r.PostForm.Has("started_at") && v != in.StartedAt.In(zone).Format(startLayout) {
		at, err := time.ParseInLocation(startLayout, v, zone)
		if err != nil {
			return outbound.Errorf(outbound.EINVALID, "started_at", "the start time %.30q is not a day and time", v)
		}
		next.StartedAt, next.EndedAt = at, at.Add(in.EndedAt.Sub(in.StartedAt))
	}
	length := in.EndedAt.Sub(in.StartedAt)
	if v := strings.TrimSpace(r.PostFormValue("duration")); r.PostForm.Has("duration") && v != strconv.Itoa(int(length.Round(time.Minute).Minutes())) {
		m, err := strconv.Atoi(v)
		if err != nil || m < 0 || m > int(outbound.MaxInspectionLength.Minutes()) {
			return outbound.Errorf(outbound.EINVALID, "duration", "the duration is a whole number of minutes, 0 to %d", int(outbound.MaxInspectionLength.Minutes()))
		}
		length = time.Duration(m) * time.Minute
	}
	next.EndedAt = next.StartedAt.Add(length)
	if !r.PostForm.Has(seizureField("category", 0)) {
		return nil
	}
	next.Seizures = []outbound.Seizure{}
	for n := 0; r.PostForm.Has(seizureField("category", n)) && n <= outbound.MaxSeizures; n++ {
		z := outbound.Seizure{Category: outbound.Category(r.PostFormValue(seizureField("category", n))), Unit: strings.TrimSpace(r.PostFormValue(seizureField("unit", n)))}
		q, v := strings.TrimSpace(r.PostFormValue(seizureField("quantity", n))), strings.TrimSpace(r.PostFormValue(seizureField("value", n)))
		if z.Category == "" && q == "" && v == "" && z.Unit == "" {
			continue // a row left empty, or emptied to take a seizure out
		}
		z.Quantity, z.ValueUSD = formNumber(q), formNumber(v)
		next.Seizures = append(next.Seizures, z)
	}
	return nil
}

// seizureField names a field of the correction form's seizure row n.
func seizureField(name string, n int) string { return "seizure_" + name + "_" + strconv.Itoa(n) }

// formNumber reads a number typed in a form; one that is none reads as
// -1, which the record's checks refuse at its field.
func formNumber(s string) float64 {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return -1
	}
	return x
}

func fmtFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
