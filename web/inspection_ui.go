package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

type inspectionView struct {
	Current    outbound.Inspection
	History    []inspectionRow
	CanEdit    bool
	Error      string
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
	s.showInspection(w, r, http.StatusOK, "")
}

func (s *Server) showInspection(w http.ResponseWriter, r *http.Request, status int, problem string) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.pageFail(w, r, outbound.Errorf(outbound.ENOTFOUND, "id", "no inspection %q", r.PathValue("id")))
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
	v := inspectionView{Current: history[len(history)-1], Error: problem, Zone: c.Location(), Modalities: outbound.Modalities,
		Techniques: outbound.Techniques, Triggers: outbound.Triggers, Outcomes: outbound.Outcomes}
	v.CanEdit = !v.Current.Voided && outbound.Authorize(r.Context(), outbound.EditInspection, v.Current.Crossing) == nil
	for i := len(history) - 1; i >= 0; i-- {
		v.History = append(v.History, inspectionRow{history[i], localTime(history[i].StartedAt, v.Zone)})
	}
	s.render(w, r, status, "inspection", "Inspection at "+c.Name, v)
}

// editInspection stores a correction or a void of the current version as
// a new version that names it, with the reason given; a stale form (the
// version was edited meanwhile) is refused and the page says so.
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
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	var next outbound.Inspection
	if r.PostFormValue("action") == "void" {
		next = in.Void(uuid.New(), reason)
	} else {
		next = in.NextVersion(uuid.New(), reason)
		next.Modality, next.Trigger, next.Outcome = outbound.Modality(r.PostFormValue("modality")), outbound.Trigger(r.PostFormValue("trigger")), outbound.Outcome(r.PostFormValue("outcome"))
		next.Techniques = nil
		for _, t := range r.PostForm["techniques"] {
			next.Techniques = append(next.Techniques, outbound.Technique(t))
		}
		next.Officers = outbound.ParseBadges(r.PostFormValue("officers"))
		next.Notes = r.PostFormValue("notes")
	}
	res, err := s.Inspections.RecordInspections(r.Context(), []outbound.Inspection{next})
	if err != nil {
		s.pageFail(w, r, err)
		return
	}
	if e := res[0].Err; e != nil {
		status := http.StatusBadRequest
		if res[0].Status == outbound.Conflict {
			status = http.StatusConflict
		}
		s.showInspection(w, r, status, e.Message)
		return
	}
	http.Redirect(w, r, "/inspections/"+next.ID.String(), http.StatusSeeOther)
}
