package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"runtime/debug"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/sqldb"
)

// Main runs one subcommand. Its fields are the process's edges, so tests
// run the real commands in-process.
type Main struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Ready, if set, is called with the base URL once a server listens.
	Ready func(url string)
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Exit codes (DESIGN section 5).
const (
	exitOK       = 0
	exitProblems = 1 // the command ran and found problems
	exitUsage    = 2 // bad usage or bad input
)

// badInput are the error codes that mean the input named something wrong.
var badInput = map[string]bool{outbound.EINVALID: true, outbound.ECONFLICT: true, outbound.ENOTFOUND: true}

// errProblems reports that a command ran and found problems it already
// printed.
var errProblems = errors.New("problems found")

// usageError is a bad command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

const usage = `outbound: the record and oversight of outbound inspections at land border crossings.

Usage:
  outbound serve    [--db DSN] [--addr HOST:PORT] [--role hq|port] [--crossing CODE]
                    [--upstream URL --upstream-token-file FILE] [--sync-every DURATION]
                    [--tls-cert FILE --tls-key FILE] [--audit-key FILE] [--checkpoint-every DURATION]
                    [--verify-every DURATION] [--verify-sample N] [--alert-webhook URL] [--alert-every DURATION]
  outbound sync     [--db DSN] --upstream URL --upstream-token-file FILE   (one push/pull round)
  outbound node add --crossing CODE   (prints the port node's token once)
  outbound node list [--stale-after DURATION]
  outbound demo     [--db DSN] [--addr HOST:PORT] [--seed N] [--years N] [--bts FILE] [--serve=false]
  outbound migrate  [--db DSN]
  outbound import bts      [--db DSN] FILE.csv|FILE.zip
  outbound import staffing [--db DSN] FILE.csv
  outbound import exits    [--db DSN] FILE.csv
  outbound import training [--db DSN] FILE.csv
  outbound import survey   [--db DSN] FILE.csv
  outbound gaps     [--db DSN] --standard FILE.yaml [--catalogue FILE.yaml] [--format table|json]   (what each crossing lacks, ranked)
  outbound import funding  [--db DSN] FILE.csv
  outbound funding  [--db DSN] --fiscal-year YEAR [the budget flags] [--format table|json]   (the funding line against the plan)
  outbound training [--db DSN] --courses FILE.csv --from DATE --to DATE [--expiring-within 60] [--format table|json]
  outbound budget   [--db DSN] --fiscal-year YEAR [--target-rate R] [--hourly-rate USD] [--standard F --catalogue F]
                    [--format text|table|csv|json|xlsx|pdf] [-o FILE]   (a budget request, the arithmetic shown)
  outbound user add --name NAME --role ROLE [--crossing CODE]...   (prints a one-time password)
  outbound user list | user disable --name NAME | user reset --name NAME   (reset prints a one-time password)
  outbound token create --user NAME [--label L] [--days N] [--crossing CODE]...   (prints the token once)
  outbound token list [--user NAME] | token revoke ID
  outbound audit keygen --out FILE
  outbound audit checkpoint --key FILE
  outbound audit verify [--public-key HEX | --key FILE] [--checkpoints FILE.json] [--sample N]
  outbound policy check [--db DSN] [--format text|json] FILE...   (exit 0 clean, 1 findings, 2 bad input)
  outbound policy publish [--db DSN] FILE...
  outbound policy list [--db DSN]
  outbound report NAME --from DATE --to DATE [--border B] [--field-office F] [--crossing CODE]
                    [--hourly-rate USD] [--format table|csv|json] [-o FILE]
                    (NAME: coverage, compliance, activity, seizures, yield, staffing, exits)
  outbound schedule [--db DSN] --from DATE --to DATE [--crossing CODE]... [--seed N] [--budget SHIFTS]
                    [--caught-loss X] [--format table|json|csv] [--explain]
  outbound operation plan --name N --from DATE --to DATE --officers N [--basis random|intelligence]
                    [--count N] [--crossing CODE]... [--field-office F] [--reason R]
  outbound operation list --from DATE --to DATE | operation show ID
  outbound generate [--db DSN] [--crossings 167] [--years 5] [--inspections 10000000]   (benchmark data)
  outbound version

DSN is a file path or sqlite:PATH (default outbound.db), or postgres://...
Environment: OUTBOUND_DB and OUTBOUND_ADDR give defaults that flags override.
Exit codes: 0 ok, 1 problems found, 2 bad usage or input.
`

// Run runs the subcommand named by args[0]. The command line acts on the
// database directly, trusted like the database file itself: it is audited
// as "cli:" and the operating-system user.
func (m *Main) Run(ctx context.Context, args []string) error {
	ctx = outbound.WithActor(ctx, outbound.SystemActor("cli:"+osUser()))
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return usagef("no subcommand given")
	}
	switch args[0] {
	case "serve":
		return m.serve(ctx, args[1:])
	case "demo":
		return m.demo(ctx, args[1:])
	case "migrate":
		return m.migrate(ctx, args[1:])
	case "import":
		return m.importCmd(ctx, args[1:])
	case "user":
		return m.user(ctx, args[1:])
	case "token":
		return m.token(ctx, args[1:])
	case "audit":
		return m.audit(ctx, args[1:])
	case "sync":
		return m.sync(ctx, args[1:])
	case "node":
		return m.node(ctx, args[1:])
	case "policy":
		return m.policyCmd(ctx, args[1:])
	case "report":
		return m.reportCmd(ctx, args[1:])
	case "generate":
		return m.generate(ctx, args[1:])
	case "schedule":
		return m.scheduleCmd(ctx, args[1:])
	case "operation":
		return m.operation(ctx, args[1:])
	case "gaps":
		return m.gapsCmd(ctx, args[1:])
	case "budget":
		return m.budgetCmd(ctx, args[1:])
	case "training":
		return m.trainingCmd(ctx, args[1:])
	case "funding":
		return m.fundingCmd(ctx, args[1:])
	case "version":
		fmt.Fprintln(m.Stdout, "outbound", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return nil
	default:
		fmt.Fprint(m.Stderr, usage)
		return usagef("unknown subcommand %q", args[0])
	}
}

// Exit prints err as one line on stderr and returns the exit code for it.
func (m *Main) Exit(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, errProblems):
		return exitProblems
	case errors.As(err, &ue):
		fmt.Fprintln(m.Stderr, "outbound:", err)
		return exitUsage
	case badInput[outbound.ErrorCode(err)]:
		fmt.Fprintln(m.Stderr, "outbound:", outbound.ErrorMessage(err))
		return exitUsage
	default:
		fmt.Fprintln(m.Stderr, "outbound:", err)
		return exitProblems
	}
}

// config is built from defaults, then the environment, then flags.
type config struct {
	db   string
	addr string
}

func (m *Main) flags(name string, withAddr bool) (*flag.FlagSet, *config) {
	c := &config{db: "outbound.db", addr: "127.0.0.1:8080"}
	if v := m.Getenv("OUTBOUND_DB"); v != "" {
		c.db = v
	}
	if v := m.Getenv("OUTBOUND_ADDR"); v != "" {
		c.addr = v
	}
	fs := flag.NewFlagSet("outbound "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.StringVar(&c.db, "db", c.db, "database: a file path, sqlite:PATH or postgres://... (env OUTBOUND_DB)")
	if withAddr {
		fs.StringVar(&c.addr, "addr", c.addr, "address to listen on, HOST:PORT (env OUTBOUND_ADDR)")
	}
	return fs, c
}

// parse parses flags and wants exactly nargs positional arguments (-1: any).
func parse(fs *flag.FlagSet, args []string, nargs int, what string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usagef("%s: %v", fs.Name(), err)
	}
	if nargs >= 0 && fs.NArg() != nargs {
		return usagef("%s: expected %s", fs.Name(), what)
	}
	return nil
}

// open opens and migrates the database, saying what migrations did.
func (m *Main) open(ctx context.Context, dsn string) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, a := range applied {
		fmt.Fprintf(m.Stderr, "outbound: applied migration %s\n", a.Name)
	}
	return db, nil
}

// now is the clock, in UTC.
func (m *Main) now() time.Time {
	if m.Now != nil {
		return m.Now().UTC()
	}
	return time.Now().UTC()
}

func (m *Main) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// osUser names the operating-system user for the audit log.
func osUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = strings.TrimPrefix(v+" ", "(devel) ") + s.Value[:12]
			}
		}
		return strings.TrimSpace(v)
	}
	return "(devel)"
}

// isTerminal reports whether w is a terminal, for progress bars.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
