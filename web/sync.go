package web

import (
	"net/http"
	"strconv"

	"github.com/outbound-oss/outbound"
)

// checkSchema refuses a client that states a database schema other than
// this server's: a port node of another version must be upgraded before
// it syncs, and it keeps its data meanwhile.
func (s *Server) checkSchema(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := r.Header.Get(outbound.HeaderSchema)
		if v == "" || s.Schema == 0 {
			next.ServeHTTP(w, r)
			return
		}
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			s.fail(w, r, outbound.Errorf(outbound.EINVALID, "schema", "%s %q is not a schema version", outbound.HeaderSchema, v))
		case n < s.Schema:
			s.fail(w, r, outbound.Errorf(outbound.ECONFLICT, "schema", "this client has database schema %d and the server %d: upgrade the client (port node) to the server's version; it keeps its records until then", n, s.Schema))
		case n > s.Schema:
			s.fail(w, r, outbound.Errorf(outbound.ECONFLICT, "schema", "this client has database schema %d and the server %d: upgrade the server (headquarters) first; the node keeps its records until then", n, s.Schema))
		default:
			next.ServeHTTP(w, r)
		}
	})
}

func (s *Server) reportNode(w http.ResponseWriter, r *http.Request) {
	var st outbound.NodeStatus
	if err := decodeOne(w, r, &st); err != nil {
		s.fail(w, r, err)
		return
	}
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
