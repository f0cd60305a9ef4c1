package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
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
	if err := parse(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	switch {
	case *role != "hq" && *role != "port":
		return usagef("serve: --role %q must be hq or port", *role)
	case *role == "port" && *crossing == "":
		return usagef("serve: --role port needs --crossing CODE")
	case *role == "hq" && *crossing != "":
		return usagef("serve: --crossing is for --role port")
	}
	db, err := m.open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	if *crossing != "" {
		if _, err := db.FindCrossing(ctx, *crossing); err != nil {
			return outbound.Errorf(outbound.EINVALID, "crossing", "serve: --crossing: %s", outbound.ErrorMessage(err))
		}
	}
	return m.listen(ctx, db, c.addr, *role)
}

// listen serves db's API on addr until ctx ends, then drains requests.
func (m *Main) listen(ctx context.Context, db *sqldb.DB, addr, role string) error {
	log := m.logger()
	s := &web.Server{Crossings: db, Inspections: db, Staffing: db, Exits: db, Ping: db.Ping, Logger: log, Role: role}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return usagef("serve: --addr %s: %v", addr, err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(m.Stdout, "outbound %s serving %s database on %s\n", role, db.Dialect(), url)
	if m.Ready != nil {
		m.Ready(url)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
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
