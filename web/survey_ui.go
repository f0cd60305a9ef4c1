package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
)

type surveyView struct {
	Crossings  []string
	Survey     outbound.Survey
	Counts     map[outbound.EquipmentType]int
	States     map[outbound.EquipmentType]outbound.Condition
	Hazards    string
	Counting   *outbound.Survey // the chosen crossing's survey that counts, which the page offers to void
	Reason     string           // a refused void's reason, kept
	VoidError  string           // why the void was refused
	Field      string           // the field at fault
	Error      string
	Message    string
	Types      []outbound.EquipmentType
	Conditions []outbound.Condition
	Signals    []outbound.Signal
	Powers     []outbound.Power
}

// surveyPage is the survey form of a crossing's outbound infrastructure,
// equipment, connectivity and power.
func (s *Server) surveyPage(w http.ResponseWriter, r *http.Request) {
	a, ok := s.allowed(w, r, outbound.WriteSurvey)
	if !ok {
		return
	}
	v := newSurveyView(a)
	v.Survey.Crossing = r.URL.Query().Get("crossing")
	v.Survey.Day = outbound.DateOf(s.now().UTC())
	v.Message = r.URL.Query().Get("done")
	if err := s.counting(r, &v); err != nil {
		s.pageFail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "survey", "Survey", v)
}

// counting finds the survey that counts of the view's crossing, if any.
func (s *Server) counting(r *http.Request, v *surveyView) error {
	if v.Survey.Crossing == "" {
		return nil
	}
	sv, err := s.Surveys.LatestSurvey(r.Context(), v.Survey.Crossing)
	if outbound.ErrorCode(err) == outbound.ENOTFOUND {
		return nil
	}
	v.Counting = &sv
	return err
}

// voidSurvey voids the survey the form names, for the reason given; a
// refused void shows the page again with the reason kept and the message
// at it.
func (s *Server) voidSurvey(w http.ResponseWriter, r *http.Request) {
	a, ok := s.allowed(w, r, outbound.WriteSurvey)
	if !ok {
		return
	}
	v := newSurveyView(a)
	f := r.PostFormValue
	v.Survey.Crossing, v.Survey.Day, v.Reason = f("crossing"), outbound.DateOf(s.now().UTC()), f("reason")
	var err error
	if f("crossing") == "" || f("survey") == "" {
		err = outbound.Errorf(outbound.EINVALID, "survey", "the form names no survey to void")
	} else {
		err = s.counting(r, &v)
	}
	if err == nil && (v.Counting == nil || v.Counting.ID.String() != f("survey")) {
		// The form was made for a survey that no longer counts.
		err = outbound.Errorf(outbound.ECONFLICT, "survey", "the survey shown has changed since the page was made: check it and void again")
	}
	if err == nil {
		err = recorded(s.Surveys.RecordSurveys(r.Context(), []outbound.Survey{v.Counting.Void(uuid.New(), v.Survey.Day, strings.TrimSpace(v.Reason))}))
	}
	if err != nil {
		status, ok := s.formFault(w, r, err)
		if !ok {
			return
		}
		v.VoidError = outbound.ErrorMessage(err)
		s.render(w, r, status, "survey", "Survey", v)
		return
	}
	done := "Survey of " + v.Counting.Crossing + " on " + v.Counting.Day.String() + " voided."
	http.Redirect(w, r, "/survey?"+url.Values{"crossing": {v.Survey.Crossing}, "done": {done}}.Encode(), http.StatusSeeOther)
}

func newSurveyView(a *outbound.Actor) surveyView {
	return surveyView{Crossings: a.Crossings, Counts: map[outbound.EquipmentType]int{}, States: map[outbound.EquipmentType]outbound.Condition{},
		Types: outbound.EquipmentTypes, Conditions: outbound.Conditions, Signals: outbound.Signals, Powers: outbound.Powers}
}

// surveyForm records a survey; an invalid answer shows the form again,
// as filled, with the field at fault named.
func (s *Server) surveyForm(w http.ResponseWriter, r *http.Request) {
	a, ok := s.allowed(w, r, outbound.WriteSurvey)
	if !ok {
		return
	}
	v := newSurveyView(a)
	f := r.PostFormValue
	num := func(name string) int { n, _ := strconv.Atoi(f(name)); return n }
	sv := outbound.Survey{ID: uuid.New(), Crossing: f("crossing"), OutboundLanes: num("outbound_lanes"), SecondaryBays: num("secondary_bays"),
		Canopy: f("canopy") == "on", Lighting: f("lighting") == "on", Barriers: f("barriers") == "on", SafePullOff: f("safe_pull_off") == "on",
		WiFi: outbound.Signal(f("wifi")), Cellular: outbound.Signal(f("cellular")), Power: outbound.Power(f("power")), Notes: f("notes"),
		Equipment: []outbound.Equipment{}, Hazards: []string{}}
	sv.Mbps, _ = strconv.ParseFloat(f("mbps"), 64)
	for _, t := range outbound.EquipmentTypes {
		v.Counts[t], v.States[t] = num("count_"+string(t)), outbound.Condition(f("condition_"+string(t)))
		if v.Counts[t] > 0 {
			sv.Equipment = append(sv.Equipment, outbound.Equipment{Type: t, Count: v.Counts[t], Condition: v.States[t]})
		}
	}
	v.Hazards = f("hazards")
	for _, h := range strings.Split(v.Hazards, "\n") {
		if h = strings.TrimSpace(h); h != "" {
			sv.Hazards = append(sv.Hazards, h)
		}
	}
	day, err := outbound.ParseDate(f("day"))
	sv.Day = day
	if err != nil {
		err = outbound.Errorf(outbound.EINVALID, "day", "the day %s is not a date", outbound.Shown(f("day")))
	} else {
		err = recorded(s.Surveys.RecordSurveys(r.Context(), []outbound.Survey{sv}))
	}
	if err != nil {
		status, ok := s.formFault(w, r, err)
		if !ok {
			return
		}
		v.Survey, v.Field, v.Error = sv, outbound.ErrorField(err), outbound.ErrorMessage(err)
		s.render(w, r, status, "survey", "Survey", v)
		return
	}
	http.Redirect(w, r, "/survey?"+url.Values{"crossing": {sv.Crossing}, "done": {"Survey of " + sv.Crossing + " on " + sv.Day.String() + " recorded."}}.Encode(), http.StatusSeeOther)
}
