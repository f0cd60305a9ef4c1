package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"golang.org/x/sync/errgroup"
)

type supervisorView struct {
	Crossing  string
	Crossings []string
	Today     outbound.Date
	Message   string
	Error     string
	// Refused is the form the server refused, shown again as typed with
	// why at its field.
	Refused refusal
	// Existing is the shift's record a new one collided with, offered to
	// edit; Edit is the staffing version the edit form edits, if any.
	Existing, Edit *outbound.Staffing
	Shifts         []outbound.Shift
	Reasons        []outbound.DiversionReason
	Staffing       []outbound.Staffing
	Schedules      []outbound.PublishedSchedule
	Operations     []outbound.Operation
	Conflicts      []conflictView
	// SetApart are the records headquarters refused, set apart at this
	// port node (none at headquarters).
	SetApart []outbound.SetApart
	Zone     *time.Location // the crossing's, for every time the page shows
}

// supervisorPage is a supervisor's (or field office's) desk for one of
// their crossings: staffing and diversions, the published schedule, a
// pulse-and-surge operation, and sync conflicts to resolve.
func (s *Server) supervisorPage(w http.ResponseWriter, r *http.Request) {
	s.showSupervisor(w, r, http.StatusOK, supervisorView{Message: r.URL.Query().Get("done")})
}

// showSupervisor shows the desk with what v says already (a message, a
// refused form, the shift to edit).
func (s *Server) showSupervisor(w http.ResponseWriter, r *http.Request, status int, v supervisorView) {
	a, ok := s.signedIn(w, r)
	if !ok {
		return
	}
	if a.Role != outbound.Supervisor && a.Role != outbound.FieldOffice {
		s.pageFail(w, r, outbound.Errorf(outbound.EFORBIDDEN, "", "the supervisor's pages are for supervisors and field offices"))
		return
	}
	code := r.FormValue("crossing")
	if code == "" && len(a.Crossings) > 0 {
		code = a.Crossings[0]
	}
	if !a.InScope(code) {
		s.pageFail(w, r, outbound.Errorf(outbound.EFORBIDDEN, "crossing", "crossing %s is not one of yours", outbound.Shown(code)))
		return
	}
	today := outbound.DateOf(s.now().UTC())
	v.Crossing, v.Crossings, v.Today, v.Shifts, v.Reasons = code, a.Crossings, today, outbound.Shifts, outbound.DiversionReasons
	ctx := r.Context()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		v.Staffing, _, err = s.Staffing.FindStaffing(gctx, outbound.Filter{Crossing: code, From: today.AddDays(-14), To: today, Limit: 60})
		return err
	})
	g.Go(func() (err error) {
		v.Schedules, err = s.Schedules.FindSchedules(gctx, code, today, today.AddDays(27))
		return err
	})
	g.Go(func() (err error) {
		ops, err := s.Operations.FindOperations(gctx, today.AddDays(-30), today.AddDays(60))
		for _, op := range ops {
			if slices.Contains(op.Crossings, code) {
				v.Operations = append(v.Operations, op)
			}
		}
		return err
	})
	g.Go(func() (err error) { v.Conflicts, err = s.conflictViews(gctx, code); return err })
	g.Go(func() error {
		c, err := s.Crossings.FindCrossing(gctx, code)
		v.Zone = c.Location()
		return err
	})
	if s.SetApart != nil {
		g.Go(func() error {
			list, err := s.SetApart.FindSetApart(gctx, false)
			for _, sa := range list {
				if sa.Crossing == code {
					v.SetApart = append(v.SetApart, sa)
				}
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		s.pageFail(w, r, err)
		return
	}
	if v.Refused.Of("/supervisor/staffing/edit") && v.Edit == nil { // no form to show it at
		v.Error = v.Refused.Error
	}
	if id := r.URL.Query().Get("edit"); id != "" && v.Edit == nil {
		for i := range v.Staffing {
			if v.Staffing[i].ID.String() == id {
				v.Edit = &v.Staffing[i]
			}
		}
		if v.Edit == nil {
			v.Error = "No shift of the last two weeks is at version " + id + " now: edit the latest version from the list."
		}
	}
	s.render(w, r, status, "supervisor", "Supervisor: "+code, v)
}

// done goes back to the supervisor's page with a message.
func done(w http.ResponseWriter, r *http.Request, crossing, message string) {
	http.Redirect(w, r, "/supervisor?"+url.Values{"crossing": {crossing}, "done": {message}}.Encode(), http.StatusSeeOther)
}

// formError shows the desk again with the refused form as it was typed
// and what was wrong at its field, or the error page for what is not the
// form's fault.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error) {
	s.refuse(w, r, err, supervisorView{})
}

// refuse is formError with more for the page to show.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error, v supervisorView) {
	status, ok := s.formFault(w, r, err)
	if !ok {
		return
	}
	form := r.URL.Path
	if id := r.PostFormValue("id"); id != "" { // a form per record
		form += "#" + id
	}
	v.Refused = refused(form, r.PostForm, err)
	s.showSupervisor(w, r, status, v)
}

// recorded reads a one-record answer: its error, if it was refused.
func recorded[T any](res []outbound.RecordResult[T], err error) error {
	if err != nil {
		return err
	}
	if e := res[0].Err; e != nil {
		return e
	}
	return nil
}

func formDate(r *http.Request, name string) (outbound.Date, error) {
	d, err := outbound.ParseDate(r.PostFormValue(name))
	if err != nil {
		return d, outbound.Errorf(outbound.EINVALID, name, "%s %s is not a date; expected YYYY-MM-DD", name, outbound.Shown(r.PostFormValue(name)))
	}
	return d, nil
}

// formPeriod reads a form's from and to, both required, through the one
// period parser.
func formPeriod(r *http.Request) (outbound.Date, outbound.Date, error) {
	p, err := outbound.ParsePeriod(r.PostFormValue("from"), r.PostFormValue("to"))
	return p.From, p.To, err
}

// staffingForm reads a staffing form: a shift's hours as typed (a number
// that is none reads as -1, which the record's checks refuse at its field).
func staffingForm(r *http.Request) (outbound.Staffing, error) {
	day, err := formDate(r, "day")
	if err != nil {
		return outbound.Staffing{}, err
	}
	hours := func(name string) float64 { return formNumber(strings.TrimSpace(r.PostFormValue(name))) }
	st := outbound.Staffing{ID: uuid.New(), Crossing: r.PostFormValue("crossing"), Day: day, Shift: outbound.Shift(r.PostFormValue("shift")),
		HoursPlanned: hours("hours_planned"), HoursWorked: hours("hours_worked"), HoursDiverted: hours("hours_diverted"),
		DiversionReason: outbound.DiversionReason(r.PostFormValue("diversion_reason")), Notes: r.PostFormValue("notes")}
	if r.PostFormValue("hours_diverted") == "" {
		st.HoursDiverted = 0
	}
	if st.HoursDiverted == 0 {
		st.DiversionReason = ""
	}
	return st, nil
}

// supervisorStaffing records a shift's outbound hours and diversions. A
// shift recorded already is shown, with what it holds and who recorded
// it, and the form to replace it with what was typed.
func (s *Server) supervisorStaffing(w http.ResponseWriter, r *http.Request) {
	st, err := staffingForm(r)
	if err != nil {
		s.formError(w, r, err)
		return
	}
	res, err := s.Staffing.RecordStaffing(r.Context(), []outbound.Staffing{st})
	if err := recorded(res, err); err != nil {
		var v supervisorView
		if len(res) == 1 && res[0].Status == outbound.Conflict {
			if v.Existing, err = s.latestShift(r, st); err != nil {
				s.pageFail(w, r, err)
				return
			}
			v.Edit = v.Existing
			err = outbound.Errorf(outbound.ECONFLICT, "", "The %s shift of %s is already recorded. Change it below, saying why, or record another shift.", st.Shift, st.Day)
		}
		s.refuse(w, r, err, v)
		return
	}
	done(w, r, st.Crossing, "Staffing of "+st.Day.String()+" ("+string(st.Shift)+" shift) recorded.")
}

// supervisorStaffingEdit records a new version of a shift's staffing,
// naming the version it replaces, with the reason given. An edit of a
// version replaced meanwhile is refused (409), and the form shows the
// latest version to edit instead, keeping what was typed.
func (s *Server) supervisorStaffingEdit(w http.ResponseWriter, r *http.Request) {
	st, err := staffingForm(r)
	if err != nil {
		s.formError(w, r, err)
		return
	}
	prev, err := uuid.Parse(r.PostFormValue("replaces"))
	if err != nil {
		s.formError(w, r, outbound.Errorf(outbound.EINVALID, "replaces", "the form names no version to edit; choose the shift to change from the list"))
		return
	}
	st.Replaces, st.Reason = &prev, strings.TrimSpace(r.PostFormValue("reason"))
	res, err := s.Staffing.RecordStaffing(r.Context(), []outbound.Staffing{st})
	if err := recorded(res, err); err != nil {
		// The form shows again for the shift's latest version, if there is one.
		var v supervisorView
		latest, lerr := s.latestShift(r, st)
		if lerr != nil && outbound.ErrorCode(lerr) != outbound.ENOTFOUND {
			s.pageFail(w, r, lerr)
			return
		}
		v.Edit = latest
		if len(res) == 1 && res[0].Status == outbound.Conflict && latest != nil {
			err = outbound.Errorf(outbound.ECONFLICT, "", "%s changed this shift meanwhile: the form now edits their version, shown below. Check it, then save again.",
				cmp.Or(latest.RecordedBy, "someone"))
		}
		s.refuse(w, r, err, v)
		return
	}
	done(w, r, st.Crossing, "Staffing of "+st.Day.String()+" ("+string(st.Shift)+" shift) corrected.")
}

// latestShift finds the latest version of the shift st is for.
func (s *Server) latestShift(r *http.Request, st outbound.Staffing) (*outbound.Staffing, error) {
	list, _, err := s.Staffing.FindStaffing(r.Context(), outbound.Filter{Crossing: st.Crossing, From: st.Day, To: st.Day, Limit: 10})
	for i := range list {
		if list[i].Shift == st.Shift {
			return &list[i], err
		}
	}
	if err == nil {
		err = outbound.Errorf(outbound.ENOTFOUND, "shift", "the %s shift of %s is not recorded", st.Shift, st.Day)
	}
	return nil, err
}

// supervisorSchedule draws and publishes a schedule for the crossing.
func (s *Server) supervisorSchedule(w http.ResponseWriter, r *http.Request) {
	from, to, err := formPeriod(r)
	if err != nil {
		s.formError(w, r, err)
		return
	}
	code := r.PostFormValue("crossing")
	if _, err := s.Schedules.PublishSchedule(r.Context(), outbound.ScheduleRequest{From: from, To: to, Crossings: []string{code}}); err != nil {
		s.formError(w, r, err)
		return
	}
	done(w, r, code, "A schedule from "+from.String()+" to "+to.String()+" was drawn and published.")
}

// supervisorOperation plans a pulse-and-surge operation at the crossing.
func (s *Server) supervisorOperation(w http.ResponseWriter, r *http.Request) {
	from, to, err := formPeriod(r)
	if err != nil {
		s.formError(w, r, err)
		return
	}
	code := r.PostFormValue("crossing")
	officers, _ := strconv.Atoi(r.PostFormValue("officers"))
	op, err := s.Operations.PlanOperation(r.Context(), outbound.OperationRequest{Name: r.PostFormValue("name"), Basis: outbound.IntelligenceBasis,
		Crossings: []string{code}, From: from, To: to, Officers: officers, Reason: r.PostFormValue("reason")})
	if err != nil {
		s.formError(w, r, err)
		return
	}
	done(w, r, code, "Operation "+op.Name+" planned; its inspections carry operation id "+op.ID+".")
}

// supervisorConflict resolves a sync conflict from the desk.
func (s *Server) supervisorConflict(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(r.PostFormValue("id"))
	if err != nil {
		s.formError(w, r, outbound.Errorf(outbound.EINVALID, "id", "the form names no conflict"))
		return
	}
	c, err := s.Sync.ResolveConflict(r.Context(), outbound.ConflictResolution{Kind: r.PostFormValue("kind"), ID: id, Node: r.PostFormValue("node"),
		Resolution: r.PostFormValue("resolution"), Note: r.PostFormValue("note")})
	if err != nil {
		s.formError(w, r, err)
		return
	}
	done(w, r, c.Crossing, "The "+c.Kind+" conflict from "+c.Node+" is resolved: "+c.Resolution+".")
}

// supervisorSetApart corrects or discards a record headquarters refused,
// from the desk of the port node that holds it.
func (s *Server) supervisorSetApart(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(r.PostFormValue("id"))
	if err != nil || s.SetApart == nil {
		s.formError(w, r, outbound.Errorf(outbound.EINVALID, "id", "the form names no set-apart record"))
		return
	}
	req := outbound.SetApartResolution{Kind: r.PostFormValue("kind"), ID: id, Resolution: r.PostFormValue("resolution"), Note: r.PostFormValue("note")}
	if v := strings.TrimSpace(r.PostFormValue("corrected_by")); v != "" && req.Resolution == outbound.Corrected {
		by, err := uuid.Parse(v)
		if err != nil {
			s.formError(w, r, outbound.Errorf(outbound.EINVALID, "corrected_by", "%s is not a record's id", outbound.Shown(v)))
			return
		}
		req.CorrectedBy = &by
	}
	sa, err := s.SetApart.ResolveSetApart(r.Context(), req)
	if err != nil {
		s.formError(w, r, err)
		return
	}
	done(w, r, sa.Crossing, "The "+sa.Kind+" "+sa.ID.String()+" headquarters refused is "+sa.Resolution+".")
}

// EditValue is what the staffing edit form shows in a field: what was
// typed, when the edit or a new record for the same shift was refused,
// else the version it edits.
func (v supervisorView) EditValue(field string) string {
	for _, form := range []string{"/supervisor/staffing/edit", "/supervisor/staffing"} {
		if v.Refused.Of(form) && (form != "/supervisor/staffing" || v.Existing != nil) {
			return v.Refused.Values.Get(field)
		}
	}
	if v.Edit == nil {
		return ""
	}
	e := v.Edit
	switch field {
	case "hours_planned":
		return fmtFloat(e.HoursPlanned)
	case "hours_worked":
		return fmtFloat(e.HoursWorked)
	case "hours_diverted":
		return fmtFloat(e.HoursDiverted)
	case "diversion_reason":
		return string(e.DiversionReason)
	case "notes":
		return e.Notes
	}
	return ""
}
