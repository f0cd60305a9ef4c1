package main

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/sqldb"
	"github.com/outbound-oss/outbound/web"
)

// serve runs the API until ctx ends.
func (m *Main) serve(ctx context.Context, args []string) error {
	fs, c := m.flags("serve", true)
	role := fs.String("role", "hq", "hq (headquarters) or port (a port node)")
	crossing := fs.String("crossing", "", "the crossing a port node serves (with --role port)")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate (PEM), with --tls-key")
	tlsKey := fs.String("tls-key", "", "the certificate's private key (PEM)")
	auditKey := fs.String("audit-key", "", "sign audit checkpoints with this key (from audit keygen)")
	every := fs.Duration("checkpoint-every", time.Hour, "how often to sign a checkpoint of the audit log, with --audit-key")
	upstream := fs.String("upstream", "", "headquarters' URL, for a port node")
	tokenFile := fs.String("upstream-token-file", "", "file holding the node's token (from outbound node add at headquarters)")
	syncEvery := fs.Duration("sync-every", 10*time.Second, "a port node's pause between sync rounds while they succeed")
	backoffMax := fs.Duration("sync-backoff-max", 5*time.Minute, "the longest pause after failed sync rounds")
	syncBatch := fs.Int("sync-batch", 500, "records per push request")
	staleAfter := fs.Duration("node-stale-after", 24*time.Hour, "headquarters flags nodes without a successful sync for longer")
	readDB := fs.String("read-db", m.Getenv("OUTBOUND_READ_DB"), "a PostgreSQL hot standby of --db for reports, pages and exports (env OUTBOUND_READ_DB)")
	maxLag := fs.Duration("read-db-max-lag", 5*time.Minute, "reports read the primary while the --read-db standby is further behind")
	af := alertFlags(fs)
	if err := parse(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	hook, err := af.check(m.logger())
	if err != nil {
		return err
	}
	switch {
	case *role != "hq" && *role != "port":
		return usagef("serve: --role %q must be hq or port", *role)
	case *role == "port" && *crossing == "":
		return usagef("serve: --role port needs --crossing CODE")
	case *role == "hq" && *crossing != "":
		return usagef("serve: --crossing is for --role port")
	case (*tlsCert == "") != (*tlsKey == ""):
		return usagef("serve: --tls-cert and --tls-key go together")
	case *every < time.Minute:
		return usagef("serve: --checkpoint-every must be at least 1m")
	case *role == "hq" && *upstream != "":
		return usagef("serve: --upstream is for --role port")
	case (*upstream == "") != (*tokenFile == ""):
		return usagef("serve: --upstream and --upstream-token-file go together")
	case *syncEvery < 100*time.Millisecond:
		return usagef("serve: --sync-every must be at least 100ms")
	case *syncBatch < 1 || *syncBatch > web.MaxBatch: // headquarters refuses larger batches
		return usagef("serve: --sync-batch must be 1 to %d", web.MaxBatch)
	case *readDB != "" && *role != "hq":
		return usagef("serve: --read-db is for --role hq")
	case *readDB != "" && !sqldb.IsPostgres(c.db):
		return usagef("serve: --read-db needs a PostgreSQL primary (--db postgres://...); SQLite has no standbys")
	case *readDB != "" && !sqldb.IsPostgres(*readDB):
		return usagef("serve: --read-db %s: expected postgres://..., a hot standby of --db", sqldb.Redact(*readDB))
	case *maxLag < 0:
		return usagef("serve: --read-db-max-lag must not be negative")
	}
	var key ed25519.PrivateKey
	if *auditKey != "" {
		var err error
		if key, err = readKey(*auditKey); err != nil {
			return err
		}
	}
	db, err := m.open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	var rdb *sqldb.DB
	if *readDB != "" {
		if rdb, err = sqldb.OpenStandby(ctx, *readDB, db); badInput[outbound.ErrorCode(err)] {
			return outbound.Errorf(outbound.EINVALID, "read-db", "serve: --read-db: %s", outbound.ErrorMessage(err))
		} else if err != nil {
			return fmt.Errorf("serve: --read-db: %w", err)
		}
		defer rdb.Close()
	}
	// The timers below stop with the server, before the database closes.
	var timers sync.WaitGroup
	defer timers.Wait()
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	health := &web.AuditHealth{}
	lc := listenConfig{addr: c.addr, role: *role, cert: *tlsCert, key: *tlsKey, staleAfter: *staleAfter, health: health,
		serving: func(s *web.Server, url string) { m.evaluateAlerts(ctx, &timers, s, url, hook, af.every) }}
	if *upstream != "" {
		syncer, err := m.syncer(ctx, db, *upstream, *tokenFile)
		if err != nil {
			return err
		}
		if _, err := db.FindCrossing(ctx, *crossing); outbound.ErrorCode(err) == outbound.ENOTFOUND {
			// A new node knows nothing yet: it needs one pull while
			// headquarters is reachable.
			if _, err := syncer.Round(ctx); err != nil {
				return fmt.Errorf("serve: this node has no reference data yet and headquarters did not answer (%v); run outbound sync once while the link is up", err)
			}
		}
		lc.local = func(ctx context.Context) (outbound.LocalSync, error) { return syncer.Local(ctx, *crossing) }
		syncer.MaxBackoff, syncer.Batch = *backoffMax, *syncBatch
		go syncer.Run(ctx, *syncEvery)
	}
	if *crossing != "" {
		if _, err := db.FindCrossing(ctx, *crossing); err != nil {
			return outbound.Errorf(outbound.EINVALID, "crossing", "serve: --crossing: %s", outbound.ErrorMessage(err))
		}
	}
	keys := af.keys
	if key != nil {
		keys = append(keys, key.Public().(ed25519.PublicKey))
		timers.Go(func() { m.signCheckpoints(ctx, db, key, *every, health) })
	}
	if af.verifyEvery > 0 {
		timers.Go(func() { m.watchAudit(ctx, db, keys, af.verifySample, af.verifyEvery, health) })
	}
	if rdb != nil {
		lc.readDB = &web.ReadDB{Services: rdb, RequestScope: rdb.WithRequestCache, MaxLag: *maxLag,
			Check: func(ctx context.Context) (time.Duration, error) { return rdb.StandbyLag(ctx, db) }}
		lc.readDB.Refresh(ctx)
		timers.Go(func() { lc.readDB.Watch(ctx, readDBCheckEvery) })
	}
	return m.listen(ctx, db, lc)
}

// signCheckpoints signs a checkpoint of the audit log now and then every
// period, until ctx ends, and tells health how each attempt went.
func (m *Main) signCheckpoints(ctx context.Context, db *sqldb.DB, key ed25519.PrivateKey, every time.Duration, health *web.AuditHealth) {
	log := m.logger()
	for {
		cp, signed, err := db.SignCheckpoint(ctx, key)
		if ctx.Err() != nil {
			return
		}
		health.Signed(m.now(), err)
		if err != nil {
			log.Error("audit checkpoint", "err", err)
		} else if signed {
			log.Info("audit checkpoint", "seq", cp.Seq, "hash", cp.Hash)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// readDBCheckEvery is how often serve checks its --read-db standby: a
// standby that stops answering is read, and fails requests, until the
// next check (or the next /readyz, which checks it too).
const readDBCheckEvery = 5 * time.Second

// listenConfig says where and how to serve.
type listenConfig struct {
	addr, role string
	cert, key  string // TLS, when both are set
	staleAfter time.Duration
	local      func(context.Context) (outbound.LocalSync, error) // a port node's own sync
	health     *web.AuditHealth                                  // how the server's audit checks went, for /metrics
	readDB     *web.ReadDB                                       // a standby for reports, pages and exports
	// serving, if set, is called once the server listens, with the
	// server and its URL.
	serving func(s *web.Server, url string)
}

// listen serves db's API until ctx ends, then drains requests.
func (m *Main) listen(ctx context.Context, db *sqldb.DB, lc listenConfig) error {
	log := m.logger()
	s := &web.Server{Crossings: db, Inspections: db, Staffing: db, Exits: db, Accounts: db, Audit: db, Sync: db, SetApart: db, Policies: db, Reports: db, Schedules: db, Operations: db, Lanes: db, Surveys: db, Funding: db, Planning: db, Trends: db,
		RequestScope: db.WithRequestCache, Local: lc.local, NodeStaleAfter: lc.staleAfter, Ping: db.Ready, Logger: log, Role: lc.role,
		AuditHealth: lc.health, ReadDB: lc.readDB}
	ln, err := net.Listen("tcp", lc.addr)
	if err != nil {
		return usagef("serve: --addr %s: %v", lc.addr, err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute,
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
	scheme := "http"
	if lc.cert != "" {
		scheme = "https"
		if _, err := tls.LoadX509KeyPair(lc.cert, lc.key); err != nil {
			ln.Close()
			return outbound.Errorf(outbound.EINVALID, "tls-cert", "serve: --tls-cert/--tls-key: %v", err)
		}
	}
	url := scheme + "://" + ln.Addr().String()
	fmt.Fprintf(m.Stdout, "outbound %s serving %s database on %s\n", lc.role, db.Dialect(), url)
	if lc.serving != nil {
		lc.serving(s, url)
	}
	if m.Ready != nil {
		m.Ready(url)
	}
	done := make(chan error, 1)
	go func() {
		if lc.cert != "" {
			done <- srv.ServeTLS(ln, lc.cert, lc.key)
		} else {
			done <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
