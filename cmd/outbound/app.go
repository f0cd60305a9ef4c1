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
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/outbound-oss/outbound"
	"github.com/outbound-oss/outbound/sqldb"
	"golang.org/x/term"
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

// Run runs the subcommand named by args[0]. The command line acts on the
// database directly, trusted like the database file itself: it is audited
// as "cli:" and the operating-system user.
func (m *Main) Run(ctx context.Context, args []string) error {
	ctx = outbound.WithActor(ctx, outbound.SystemActor("cli:"+osUser()))
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return usagef("no subcommand given")
	}
	if cs := group(args[0]); len(cs) > 0 && (len(args) == 1 || isHelp(args[1])) && !slices.ContainsFunc(commands, func(c command) bool { return c.name == args[0] }) {
		if len(args) == 1 { // "outbound user": which one?
			writeGroupHelp(m.Stderr, args[0], cs)
			return usagef("%s: expected a command", args[0])
		}
		writeGroupHelp(m.Stdout, args[0], cs)
		return nil
	}
	switch args[0] {
	case "serve":
		return m.serve(ctx, args[1:])
	case "demo":
		return m.demo(ctx, args[1:])
	case "backup":
		return m.backup(ctx, args[1:])
	case "restore":
		return m.restore(ctx, args[1:])
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
		if err := parse(m.bareFlags("version"), args[1:], 0, "no arguments"); err != nil {
			return err
		}
		v := version()
		if v == unknownVersion {
			v = "version unknown: built without version information (build with `make build`, or `go build -buildvcs=true` in a git checkout)"
		}
		fmt.Fprintf(m.Stdout, "outbound %s; sync protocol %d (accepts nodes of %d to %d); %s\n",
			v, outbound.Protocol, outbound.MinProtocol, outbound.Protocol, runtime.Version())
		return nil
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" { // "outbound help report"
			return m.Run(ctx, append(slices.Clone(args[1:]), "--help"))
		}
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
	fs := m.bareFlags(name)
	fs.StringVar(&c.db, "db", c.db, "database: a file path, sqlite:PATH or postgres://... (env OUTBOUND_DB)")
	if withAddr {
		fs.StringVar(&c.addr, "addr", c.addr, "address to listen on, HOST:PORT (env OUTBOUND_ADDR)")
	}
	return fs, c
}

// bareFlags is the flag set of a command that takes no database: --help
// prints the command's help on standard output.
func (m *Main) bareFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet("outbound "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stdout)
	return fs
}

// parse parses flags and wants exactly nargs positional arguments (-1:
// any). On --help it prints the command's help and returns flag.ErrHelp
// (exit 0); a bad flag is one usage error, printed once by Exit.
func parse(fs *flag.FlagSet, args []string, nargs int, what string) error {
	out := fs.Output()
	fs.SetOutput(io.Discard) // the flag package would print the error and the defaults
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	name := strings.TrimPrefix(fs.Name(), "outbound ")
	switch {
	case errors.Is(err, flag.ErrHelp):
		writeHelp(out, fs)
		return err
	case err != nil:
		return usagef("%s: %v (outbound %s --help lists its flags)", name, err, name)
	case nargs >= 0 && fs.NArg() != nargs:
		return usagef("%s: expected %s", name, what)
	}
	return nil
}

// open opens and migrates the database, saying what migrations did.
func (m *Main) open(ctx context.Context, dsn string) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	var bar *progress
	db.MigrationProgress = func(name string, done, total int64) {
		if bar == nil {
			bar = m.progress(total, "migration "+name, false)
		}
		bar.Set(done)
	}
	applied, err := db.Migrate(ctx)
	if bar != nil {
		bar.Finish()
	}
	db.MigrationProgress = nil
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

// unknownVersion is the version of a build that recorded none.
const unknownVersion = "unknown"

// release is the release this binary was built as, when the build says
// so (`make build` and the Containerfile pass -ldflags "-X main.release=...").
var release string

// version names this build: its release (release, else the module
// version that the go command records: v1.2.0 for `go install ...@v1.2.0`,
// a pseudo-version for a build in a git checkout), then the commit and
// whether its tree had changes, as the build recorded them. A build that
// recorded none of these is unknownVersion, never "(devel)"; the version
// command then says how to build one that records them.
func version() string {
	v := release
	var commit, at string
	modified := false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value[:min(12, len(s.Value))]
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if v == "" && commit == "" {
		return unknownVersion
	}
	var parts []string
	if v != "" {
		parts = append(parts, v)
	}
	if commit != "" {
		c := "commit " + commit
		if at != "" {
			c += " of " + at
		}
		if modified {
			c += ", with uncommitted changes"
		}
		parts = append(parts, c)
	}
	return strings.Join(parts, ", ")
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

// terminalWidth is the width in columns of the terminal w writes to; 0
// when w is no terminal (a file, a pipe): tables are then written whole.
func terminalWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !isTerminal(w) {
		return 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		return 80
	}
	return width
}
