package web

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"

	"github.com/outbound-oss/outbound"
)

// checkProtocol refuses a port node whose sync protocol this server does
// not speak (outbound.CheckProtocol): the node must be upgraded (or
// headquarters first) before it syncs, and it keeps its data meanwhile.
func (s *Server) checkProtocol(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") { // nodes speak only to the API
			next.ServeHTTP(w, r)
			return
		}
		p, err := outbound.ClientProtocol(r.Header.Get(outbound.HeaderProtocol), r.Header.Get(outbound.HeaderSchema))
		if err == nil {
			err = outbound.CheckProtocol(p, cmp.Or(s.MinProtocol, outbound.MinProtocol))
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) reportNode(w http.ResponseWriter, r *http.Request) {
	var st outbound.NodeStatus
	if err := decodeOne(w, r, &st); err != nil {
		s.fail(w, r, err)
		return
	}
	// The protocol is the one the request was accepted under (checked
	// before this handler), not what the body says.
	st.Protocol, _ = outbound.ClientProtocol(r.Header.Get(outbound.HeaderProtocol), r.Header.Get(outbound.HeaderSchema))
	if err := s.Sync.ReportNode(r.Context(), st); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) reference(w http.ResponseWriter, r *http.Request) {
	cursor, err := strconv.ParseInt(r.URL.Query().Get("cursor"), 10, 64)
	if r.URL.Query().Get("cursor") == "" {
		cursor, err = 0, nil
	}
	if err != nil || cursor < 0 {
		s.fail(w, r, outbound.Errorf(outbound.EINVALID, "cursor", "cursor must be the cursor of the last reference data received, or 0"))
		return
	}
	ref, err := s.Sync.ReferenceFor(r.Context(), cursor)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ref)
}

func (s *Server) conflicts(w http.ResponseWriter, r *http.Request) {
	list, err := s.Sync.FindConflicts(r.Context(), r.URL.Query().Get("crossing"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list, ""))
}

func (s *Server) nodes(w http.ResponseWriter, r *http.Request) {
	list, err := s.Sync.FindNodes(r.Context(), s.NodeStaleAfter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newList(list, ""))
}

func (s *Server) localSync(w http.ResponseWriter, r *http.Request) {
	if err := outbound.Authorize(r.Context(), outbound.ReadRecords, ""); err != nil {
		s.fail(w, r, err)
		return
	}
	st := outbound.LocalSync{Role: s.Role, ReferenceAge: -1, SetApart: []outbound.SetApart{}}
	if s.Local != nil {
		var err error
		if st, err = s.Local(r.Context()); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) resolveConflict(w http.ResponseWriter, r *http.Request) {
	var req outbound.ConflictResolution
	if err := decodeOne(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Sync.ResolveConflict(r.Context(), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) resolveSetApart(w http.ResponseWriter, r *http.Request) {
	var req outbound.SetApartResolution
	if err := decodeOne(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if s.SetApart == nil {
		s.fail(w, r, outbound.Errorf(outbound.ENOTFOUND, "id", "this server sets no records apart"))
		return
	}
	sa, err := s.SetApart.ResolveSetApart(r.Context(), req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sa)
}
