// Package nodesync moves records from a port node up to headquarters and
// reference data down, over the API, exactly once in effect.
//
// Push: every record written at the node has an entry in the node's audit
// log, in commit order. The node sends the records after its push cursor,
// in batches, to headquarters' ordinary batch endpoints (idempotent by the
// records' client-made ids), and moves the cursor only after headquarters
// answered, which it does only after its commit. A crash or a lost answer
// leaves the cursor behind: the batch is sent again and answered as
// replays. Pull: headquarters sends a snapshot of the node's reference data
// whenever it changed after the node's cursor; applying it twice is
// harmless. See docs/sync.md.
package nodesync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/client"
	"github.com/outbound-oss/outbound/sqldb"
)

// Syncer syncs one node database with headquarters.
type Syncer struct {
	DB       *sqldb.DB
	Upstream *client.Client
	Batch    int // records per request; 0 means 500
	Logger   *slog.Logger
	Version  string // the node's software, reported to headquarters
	// MaxBackoff caps the wait after failed rounds; 0 means 5 minutes.
	MaxBackoff time.Duration
	// Progress, if set, is told how many records were acknowledged of
	// how many were pending when the round began.
	Progress func(done, total int64)
}

// Report says what one round did.
type Report struct {
	Pushed    int   // records headquarters acknowledged (new or replayed)
	Conflicts int   // of which headquarters kept as conflicts for a supervisor
	SetApart  int   // of which headquarters refused, set apart here for a supervisor
	Pending   int64 // records still waiting after the round
	Pulled    bool  // new reference data arrived
}

// actor is who the node's own writes during sync are audited as.
func (s *Syncer) actor(ctx context.Context) context.Context {
	return outbound.WithActor(ctx, outbound.SystemActor("sync:"+s.Upstream.URL))
}

// Round pushes every pending record, pulls reference data and reports the
// node's status to headquarters. On failure it records the error locally
// and, if headquarters answers, there too.
func (s *Syncer) Round(ctx context.Context) (Report, error) {
	rep, err := s.round(ctx)
	msg := ""
	if err != nil {
		msg = clean(err.Error())
	}
	if serr := s.DB.SetState(ctx, map[string]string{sqldb.StateLastError: msg}); serr != nil && err == nil {
		err = serr
	}
	schema, _ := s.DB.SchemaVersion(ctx)
	apart, aerr := s.DB.FindSetApart(s.actor(ctx), false)
	if aerr != nil && err == nil {
		err = aerr
	}
	st := outbound.NodeStatus{Version: s.Version, Schema: schema, QueueDepth: max(rep.Pending, 0), LastError: msg,
		SetApartCount: int64(len(apart)), SetApart: apart[:min(len(apart), outbound.MaxSetApartReported)]}
	// Best effort: when headquarters is unreachable this fails too.
	if rerr := s.Upstream.ReportNode(ctx, st); rerr != nil && err == nil {
		err = fmt.Errorf("report status: %w", rerr)
	}
	return rep, err
}

func (s *Syncer) round(ctx context.Context) (Report, error) {
	var rep Report
	if err := s.push(ctx, &rep); err != nil {
		return rep, err
	}
	cursor, err := s.stateInt(ctx, sqldb.StatePullCursor)
	if err != nil {
		return rep, err
	}
	ref, err := s.Upstream.Reference(ctx, cursor)
	if err != nil {
		return rep, fmt.Errorf("pull reference data: %w", err)
	}
	if ref.Changed {
		if err := s.DB.ApplyReference(s.actor(ctx), ref); err != nil {
			return rep, fmt.Errorf("apply reference data: %w", err)
		}
		rep.Pulled = true
	}
	// The reference data is current as of now, changed or not.
	return rep, s.DB.SetState(ctx, map[string]string{sqldb.StateLastPull: time.Now().UTC().Format(time.RFC3339Nano)})
}

func (s *Syncer) stateInt(ctx context.Context, key string) (int64, error) {
	v, err := s.DB.State(ctx, key)
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// push sends pending records page by page, moving the cursor after each
// page headquarters acknowledged whole.
func (s *Syncer) push(ctx context.Context, rep *Report) error {
	size := s.Batch
	if size <= 0 {
		size = 500
	}
	cursor, err := s.stateInt(ctx, sqldb.StatePushCursor)
	if err != nil {
		return err
	}
	total, err := s.DB.CountPending(ctx, cursor)
	if err != nil {
		return err
	}
	rep.Pending = total
	var done int64
	for {
		page, err := s.DB.PendingRecords(ctx, cursor, size)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			return nil
		}
		apartBefore := rep.SetApart
		ids := map[string][]uuid.UUID{}
		seqs := map[uuid.UUID]int64{}
		for _, p := range page {
			if _, ok := outbound.KindNamed(p.Kind); !ok { // never move the cursor past what was not sent
				return fmt.Errorf("the queue holds a %s record (%s), which this version cannot send; it stays queued", p.Kind, p.ID)
			}
			ids[p.Kind] = append(ids[p.Kind], p.ID)
			seqs[p.ID] = p.Seq
		}
		for _, kind := range outbound.Kinds {
			if len(ids[kind.Name]) == 0 {
				continue
			}
			list, res, err := s.send(ctx, kind, ids[kind.Name])
			if err != nil {
				return err
			}
			for i, r := range res {
				switch r.Status {
				case outbound.Created, outbound.Replayed:
				case outbound.Conflict:
					rep.Conflicts++ // kept at headquarters for a supervisor
				default:
					// Refused: set apart with the reason, so that one
					// record a person must look at stops nothing else.
					msg := fmt.Sprintf("headquarters answered %q", r.Status)
					if r.Error != nil {
						msg = r.Error.Message
						if r.Error.Field != "" {
							msg = r.Error.Field + ": " + msg
						}
					}
					if err := s.DB.SetApart(s.actor(ctx), seqs[list[i].RecordID()], list[i], msg); err != nil {
						return err
					}
					rep.SetApart++
				}
			}
		}
		cursor = page[len(page)-1].Seq
		if err := s.DB.SetState(ctx, map[string]string{sqldb.StatePushCursor: strconv.FormatInt(cursor, 10),
			sqldb.StateLastPush: time.Now().UTC().Format(time.RFC3339Nano)}); err != nil {
			return err
		}
		done += int64(len(page))
		rep.Pushed += len(page) - (rep.SetApart - apartBefore)
		rep.Pending = max(0, total-done)
		if s.Progress != nil {
			s.Progress(done, total)
		}
	}
}

// send loads records of one kind, in the order written, and posts them;
// it answers the records sent and headquarters' result for each. A batch
// refused whole as bad input is sent again one record at a time, so that
// the answer names the record at fault.
func (s *Syncer) send(ctx context.Context, kind outbound.Kind, ids []uuid.UUID) ([]outbound.Record, []client.Result, error) {
	list, err := s.DB.RecordsByID(ctx, kind, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("push %s: %w", kind.Plural, err)
	}
	var sent []outbound.Record
	for _, r := range list {
		out, ok, err := s.upstreamVersion(ctx, r)
		if err != nil {
			return nil, nil, fmt.Errorf("push %s: %w", kind.Plural, err)
		}
		if ok {
			sent = append(sent, out)
		}
	}
	if len(sent) == 0 {
		return nil, nil, nil
	}
	res, err := s.Upstream.Send(ctx, kind, sent)
	if refusedWhole(err) && len(sent) > 1 {
		res = make([]client.Result, len(sent))
		for i, r := range sent {
			one, err := s.Upstream.Send(ctx, kind, []outbound.Record{r})
			switch {
			case refusedWhole(err):
				res[i] = client.Result{Status: outbound.Invalid, Error: refusal(err)}
			case err != nil:
				return nil, nil, fmt.Errorf("push %s: %w", kind.Plural, err)
			default:
				res[i] = one[0]
			}
		}
		return sent, res, nil
	}
	if refusedWhole(err) {
		return sent, []client.Result{{Status: outbound.Invalid, Error: refusal(err)}}, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("push %s: %w", kind.Plural, err)
	}
	return sent, res, nil
}

// refusedWhole reports whether headquarters refused a request for what it
// carried (400, 413, 422), not for who sent it, its schema or its own
// trouble.
func refusedWhole(err error) bool {
	var he *client.HTTPError
	return errors.As(err, &he) && (he.Status == http.StatusBadRequest || he.Status == http.StatusRequestEntityTooLarge ||
		he.Status == http.StatusUnprocessableEntity)
}

// refusal is headquarters' error for a request refused whole.
func refusal(err error) *outbound.Error {
	var he *client.HTTPError
	if errors.As(err, &he) && he.Err != nil {
		return he.Err
	}
	return outbound.Errorf(outbound.EINVALID, "", "%v", err)
}

// upstreamVersion is the record as headquarters must receive it. An
// inspection that edits a version set apart here edits, at headquarters,
// the version that one replaced (headquarters never had the set-apart
// one): a correction arrives as a version of what headquarters holds, or
// as a new inspection if the set-apart version was the first. A void of a
// version headquarters never had is not sent (ok false).
func (s *Syncer) upstreamVersion(ctx context.Context, r outbound.Record) (outbound.Record, bool, error) {
	in, isInspection := r.(*outbound.Inspection)
	if !isInspection || in.Replaces == nil {
		return r, true, nil
	}
	out := *in
	for out.Replaces != nil {
		apart, err := s.DB.IsSetApart(ctx, outbound.InspectionKind, *out.Replaces)
		if err != nil || !apart {
			return &out, true, err
		}
		prev, err := s.DB.RecordsByID(ctx, outbound.InspectionKind, []uuid.UUID{*out.Replaces})
		if err != nil {
			return nil, false, err
		}
		if len(prev) == 0 {
			return &out, true, nil // headquarters explains the missing version
		}
		out.Replaces = prev[0].(*outbound.Inspection).Replaces
	}
	if out.Voided {
		return nil, false, nil
	}
	out.Reason = "" // a first version has no reason; the node's log keeps it
	return &out, true, nil
}

// clean makes an error message fit to send and store: valid UTF-8, no NUL
// byte (PostgreSQL refuses one), at most 1,000 characters.
func clean(msg string) string {
	msg = strings.ToValidUTF8(strings.ReplaceAll(msg, "\x00", ""), "?")
	if utf8.RuneCountInString(msg) > 1000 {
		msg = string([]rune(msg)[:1000]) + "…"
	}
	return msg
}

// Run syncs until ctx ends: a round every interval while rounds succeed,
// and after a failure again after a capped exponential backoff with
// jitter, so that a link coming back is used soon and a down headquarters
// is not hammered by every node at once.
func (s *Syncer) Run(ctx context.Context, interval time.Duration) {
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	first, ceiling := time.Second, s.MaxBackoff
	if ceiling <= 0 {
		ceiling = 5 * time.Minute
	}
	first = min(first, ceiling)
	backoff := first
	for {
		rep, err := s.Round(ctx)
		wait := interval
		switch {
		case errors.Is(err, context.Canceled):
			return
		case err != nil:
			log.Warn("sync failed", "err", err, "retry_in", backoff.Round(time.Second), "pending", rep.Pending)
			wait = time.Duration(float64(backoff) * (0.5 + rand.Float64())) // jitter: 0.5x to 1.5x
			backoff = min(backoff*2, ceiling)
		default:
			if rep.Pushed > 0 || rep.Pulled {
				log.Info("synced", "pushed", rep.Pushed, "conflicts", rep.Conflicts, "pulled", rep.Pulled)
			}
			backoff = first
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// Local says how the node's sync goes, for GET /api/v1/sync.
func (s *Syncer) Local(ctx context.Context, crossing string) (outbound.LocalSync, error) {
	st := outbound.LocalSync{Role: "port", Crossing: crossing, Upstream: s.Upstream.URL, ReferenceAge: -1}
	cursor, err := s.stateInt(ctx, sqldb.StatePushCursor)
	if err != nil {
		return st, err
	}
	if st.QueueDepth, err = s.DB.CountPending(ctx, cursor); err != nil {
		return st, err
	}
	vals := map[string]*time.Time{sqldb.StateLastPush: &st.LastPushAt, sqldb.StateLastPull: &st.LastPullAt}
	for key, dst := range vals {
		v, err := s.DB.State(ctx, key)
		if err != nil {
			return st, err
		}
		if v != "" {
			*dst, _ = time.Parse(time.RFC3339Nano, v)
		}
	}
	if !st.LastPullAt.IsZero() {
		st.ReferenceAge = int64(time.Since(st.LastPullAt).Seconds())
	}
	if st.LastError, err = s.DB.State(ctx, sqldb.StateLastError); err != nil {
		return st, err
	}
	st.SetApart, err = s.DB.FindSetApart(ctx, false)
	return st, err
}
