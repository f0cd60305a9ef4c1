package web

import (
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
	Crossing   string
	Crossings  []string
	Today      outbound.Date
	Message    string
	Error      string
	Shifts     []outbound.Shift
	Reasons    []outbound.DiversionReason
	Staffing   []outbound.Staffing
	Schedules  []outbound.PublishedSchedule
	Operations []outbound.Operation
	Conflicts  []outbound.SyncConflict
	// SetApart are the records headquarters refused, set apart at this
	// port node (none at headquarters).
	SetApart []outbound.SetApart
	Zone     *time.Location // the crossing's, for every time the page shows
}

// supervisorPage is a supervisor's (or field office's) desk for one of
// their crossings: staffing and diversions, the published schedule, a
// pulse-and-surge operation, and sync conflicts to resolve.
func (s *Server) supervisorPage(w http.ResponseWriter, r *http.Request) {
	s.showSupervisor(w, r, http.StatusOK, r.URL.Query().Get("done"), "")
}

func (s *Server) showSupervisor(w http.ResponseWriter, r *http.Request, status int, message, problem string) {
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
		s.pageFail(w, r, outbound.Errorf(outbound.EFORBIDDEN, "crossing", "crossing %s is not one of yours", code))
		return
	}
	today := outbound.DateOf(s.now().UTC())
	v := supervisorView{Crossing: code, Crossings: a.Crossings, Today: today, Message: message, Error: problem,
		Shifts: outbound.Shifts, Reasons: outbound.DiversionReasons}
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
	g.Go(func() (err error) { v.Conflicts, err = s.Sync.FindConflicts(gctx, code); return err })
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
	s.render(w, r, status, "supervisor", "Supervisor: "+code, v)
}

// done goes back to the supervisor's page with a message.
func done(w http.ResponseWriter, r *http.Request, crossing, message string) {
	http.Redirect(w, r, "/supervisor?"+url.Values{"crossing": {crossing}, "done": {message}}.Encode(), http.StatusSeeOther)
}

// formError shows the page again with what was wrong, or the error page
// for what is not the form's fault.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error) {
	status, ok := s.formFault(w, r, err)
	if !ok {
		return
	}
	msg := outbound.ErrorMessage(err)
	if f := outbound.ErrorField(err); f != "" {
		msg = words(f) + ": " + msg
	}
	s.showSupervisor(w, r, status, "", msg)
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

func formFloat(r *http.Request, name string) float64 {
	x, _ := strconv.ParseFloat(r.PostFormValue(name), 64)
	return x
}

func formDate(r *http.Request, name string) (outbound.Date, error) {
	d, err := outbound.ParseDate(r.PostFormValue(name))
	if err != nil {
		return d, outbound.Errorf(outbound.EINVALID, name, "%s %q is not a date; expected YYYY-MM-DD", name, r.PostFormValue(name))
	}
	return d, nil
}

// formPeriod reads a form's from and to, both required, through the one
// period parser.
func formPeriod(r *http.Request) (outbound.Date, outbound.Date, error) {
	p, err := outbound.ParsePeriod(r.PostFormValue("from"), r.PostFormValue("to"))
	return p.From, p.To, err
}

// supervisorStaffing records a shift's outbound hours and diversions.
func (s *Server) supervisorStaffing(w http.ResponseWriter, r *http.Request) {
	day, err := formDate(r, "day")
	if err != nil {
		s.formError(w, r, err)
		return
	}
	st := outbound.Staffing{ID: uuid.New(), Crossing: r.PostFormValue("crossing"), Day: day, Shift: outbound.Shift(r.PostFormValue("shift")),
		HoursPlanned: formFloat(r, "hours_planned"), HoursWorked: formFloat(r, "hours_worked"), HoursDiverted: formFloat(r, "hours_diverted"),
		DiversionReason: outbound.DiversionReason(r.PostFormValue("diversion_reason")), Notes: r.PostFormValue("notes")}
	if st.HoursDiverted == 0 {
		st.DiversionReason = ""
	}
	if err := recorded(s.Staffing.RecordStaffing(r.Context(), []outbound.Staffing{st})); err != nil {
		s.formError(w, r, err)
		return
	}
	done(w, r, st.Crossing, "Staffing of "+day.String()+" ("+string(st.Shift)+" shift) recorded.")
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
			s.formError(w, r, outbound.Errorf(outbound.EINVALID, "corrected_by", "%q is not a record's id", v))
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
