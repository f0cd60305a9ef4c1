package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/demo"
	"github.com/outbound-oss/outbound/sqldb"
)

// demo fills the database with demo data, then serves it.
func (m *Main) demo(ctx context.Context, args []string) error {
	fs, c := m.flags("demo", true)
	seed := fs.Uint64("seed", 1, "seed of the demo data; the same seed makes the same records")
	years := fs.Int("years", 2, "years of history, ending yesterday")
	btsFile := fs.String("bts", "", "use the real ports of this BTS Border Crossing Entry Data file (CSV or zip) instead of synthetic ones")
	serve := fs.Bool("serve", true, "serve the API once the data is in")
	if err := parse(fs, args, 0, "no arguments"); err != nil {
		return err
	}
	if *years < 1 || *years > 10 {
		return usagef("demo: --years must be 1 to 10")
	}
	db, err := m.open(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()

	ports, err := m.demoPorts(ctx, db, *seed, *btsFile)
	if err != nil {
		return err
	}
	now := m.now()
	cfg := demo.Config{Seed: *seed, From: outbound.DateOf(now.AddDate(-*years, 0, 0)), To: outbound.DateOf(now).AddDays(-1)}
	st, err := m.seed(ctx, db, cfg, ports)
	if err != nil {
		return err
	}
	kind := "synthetic crossings (names start with DEMO)"
	if *btsFile != "" {
		kind = "real ports from " + *btsFile
	}
	fmt.Fprintf(m.Stdout, "demo data (not real inspections) for %d %s, %s to %s:\n", len(ports), kind, cfg.From, cfg.To)
	fmt.Fprintf(m.Stdout, "  %d inspections, %d staffing records, %d exit estimates (%d new, %d already there)\n",
		st.inspections, st.staffing, st.exits, st.created, st.replayed)
	if _, _, err := db.PublishPolicy(ctx, "demo national policy", demo.Policy); err != nil && outbound.ErrorCode(err) != outbound.ECONFLICT {
		return fmt.Errorf("demo policy: %w", err)
	}
	if err := m.demoUsers(ctx, db, ports); err != nil {
		return err
	}
	if !*serve {
		return nil
	}
	return m.listen(ctx, db, listenConfig{addr: c.addr, role: "hq"})
}

// demoPorts saves the ports the demo uses: synthetic ones, or the real ports
// of a BTS file (imported with their volumes).
func (m *Main) demoPorts(ctx context.Context, db *sqldb.DB, seed uint64, btsFile string) ([]outbound.Port, error) {
	if btsFile == "" {
		ports := demo.Ports(seed, 20, 30)
		return ports, db.SavePorts(ctx, ports)
	}
	if err := m.importBTS(ctx, db, btsFile); err != nil {
		return nil, err
	}
	cs, err := db.FindCrossings(ctx)
	if err != nil {
		return nil, err
	}
	var ports []outbound.Port
	for _, c := range cs {
		if c.Source == outbound.SourceBTS && c.Code == c.PortCode {
			ports = append(ports, outbound.Port{Code: c.Code, Name: c.Name, State: c.State, Border: c.Border, TimeZone: c.TimeZone})
		}
	}
	return ports, nil
}

type seedStats struct{ inspections, staffing, exits, created, replayed int }

// seed records the demo days in batches, with progress on a terminal.
func (m *Main) seed(ctx context.Context, db *sqldb.DB, cfg demo.Config, ports []outbound.Port) (seedStats, error) {
	var st seedStats
	var batch demo.Day
	bar := m.progress(int64(demo.Days(cfg)*len(ports)), "making demo data", false)
	defer bar.Finish()
	count := func(statuses []outbound.Status) error {
		for _, s := range statuses {
			switch s {
			case outbound.Created:
				st.created++
			case outbound.Replayed:
				st.replayed++
			default:
				return fmt.Errorf("demo data was refused (%s): is this database holding other data for the demo crossings?", s)
			}
		}
		return nil
	}
	flush := func() error {
		ri, err := db.RecordInspections(ctx, batch.Inspections)
		if err != nil {
			return err
		}
		rs, err := db.RecordStaffing(ctx, batch.Staffing)
		if err != nil {
			return err
		}
		re, err := db.RecordExits(ctx, batch.Exits)
		if err != nil {
			return err
		}
		st.inspections += len(ri)
		st.staffing += len(rs)
		st.exits += len(re)
		batch = demo.Day{}
		return errors.Join(count(statuses(ri)), count(statuses(rs)), count(statuses(re)))
	}
	err := demo.Generate(cfg, ports, func(d demo.Day) error {
		batch.Inspections = append(batch.Inspections, d.Inspections...)
		batch.Staffing = append(batch.Staffing, d.Staffing...)
		batch.Exits = append(batch.Exits, d.Exits...)
		bar.Add(1)
		if len(batch.Staffing) >= 900 || len(batch.Inspections) >= 900 {
			return flush()
		}
		return ctx.Err()
	})
	if err != nil {
		return st, err
	}
	return st, flush()
}

func statuses[T any](rs []outbound.RecordResult[T]) []outbound.Status {
	out := make([]outbound.Status, len(rs))
	for i, r := range rs {
		out[i] = r.Status
	}
	return out
}

// demoBadges are the demo officer's and supervisor's badges: the officer's
// form records them as theirs.
var demoBadges = map[outbound.Role]string{outbound.Officer: "D1001", outbound.Supervisor: "D2001"}

// demoUsers makes one user of each role, and a token for each, and prints
// them: the credentials to try the system with. Users made by an earlier run
// keep their password; every run makes new tokens.
func (m *Main) demoUsers(ctx context.Context, db *sqldb.DB, ports []outbound.Port) error {
	var local []string // southwest crossings, for the scoped roles
	for _, p := range ports {
		if p.Border == outbound.Southwest && len(local) < 5 {
			local = append(local, p.Code)
		}
	}
	if len(local) == 0 {
		local = []string{ports[0].Code}
	}
	fmt.Fprintln(m.Stdout, "demo users (passwords are one-time: change them at first sign-in; tokens last 30 days):")
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  USER\tROLE\tBADGE\tCROSSINGS\tPASSWORD\tTOKEN")
	for _, role := range outbound.Roles {
		if role == outbound.Node {
			continue // nodes are made with outbound node add
		}
		u := outbound.User{Name: "demo-" + strings.ReplaceAll(string(role), "_", "-"), Role: role}
		switch role {
		case outbound.Officer, outbound.Supervisor:
			u.Crossings = local[:1]
			u.Badge = demoBadges[role]
		case outbound.FieldOffice:
			u.Crossings = local
		}
		password, err := db.AddUser(ctx, u)
		switch {
		case outbound.ErrorCode(err) == outbound.ECONFLICT:
			password = "(made by an earlier run)"
		case err != nil:
			return err
		}
		_, token, err := db.CreateToken(ctx, u.Name, "demo", nil, 30*24*time.Hour)
		if err != nil {
			return err
		}
		scope := strings.Join(u.Crossings, ",")
		if role.National() {
			scope = "all"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", u.Name, role, cmp.Or(u.Badge, "-"), scope, password, token)
	}
	return tw.Flush()
}
