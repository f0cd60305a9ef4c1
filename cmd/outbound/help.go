package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// command is what "outbound NAME --help" says of a subcommand: how it is
// called, what it does, and an example. Its synopsis names every flag the
// command takes and no other (a test holds the two together); "outbound
// --help" lists the commands from this table.
type command struct {
	name     string // "report", "user add"
	synopsis string // the arguments and flags after the name
	summary  string // what it does, one sentence
	example  string
}

// commands are the subcommands, in the order "outbound --help" lists them.
var commands = []command{
	{"serve", "[--db DSN] [--addr HOST:PORT] [--role hq|port] [--crossing CODE] [--upstream URL --upstream-token-file FILE] [--sync-every DURATION] [--sync-backoff-max DURATION] [--sync-batch N] [--node-stale-after DURATION] [--tls-cert FILE --tls-key FILE] [--audit-key FILE] [--checkpoint-every DURATION] [--verify-every DURATION] [--verify-sample N] [--verify-public-key HEX[,HEX]] [--alert-webhook URL] [--alert-every DURATION]",
		"serves the API and the web pages as headquarters, or as a port node that keeps working offline and syncs with headquarters",
		"outbound serve --db postgres://postgres@127.0.0.1:5432/outbound --addr 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem"},
	{"demo", "[--db DSN] [--addr HOST:PORT] [--seed N] [--years N] [--bts FILE] [--serve=false]",
		"fills the database with labelled demo data and demo users (printing their one-time passwords and tokens), then serves it",
		"outbound demo --db demo.db --years 1"},
	{"migrate", "[--db DSN] [--dry-run]",
		"brings the database to the current schema and says what it applied, each migration in its own transaction; with --dry-run, lists what it would apply and applies nothing",
		"outbound migrate --dry-run --db postgres://postgres@127.0.0.1:5432/outbound"},
	{"backup", "[--db DSN] -o FILE",
		"writes a consistent copy of the database while the server runs (SQLite: VACUUM INTO; PostgreSQL: pg_dump); never overwrites a file",
		"outbound backup --db /var/lib/outbound/outbound.db -o /var/backups/outbound/2026-12-01.db"},
	{"restore", "[--db DSN] FILE",
		"brings a backup back into a new SQLite file or an empty PostgreSQL database; never overwrites one; then run audit verify on it",
		"outbound restore --db /var/lib/outbound/outbound.db /var/backups/outbound/2026-12-01.db"},
	{"import bts", "[--db DSN] FILE.csv|FILE.zip",
		"imports ports, crossings and monthly inbound volumes from the BTS Border Crossing Entry Data, any release since 1996 (docs/import.md lists the layouts); a zip is read from its one CSV with the BTS columns; the later import wins and says how many values it changed",
		"outbound import bts Border_Crossing_Entry_Data.zip"},
	{"import staffing", "[--db DSN] FILE.csv", "imports staffing records (docs/import.md has the template); all or nothing",
		"outbound import staffing staffing-2026-03.csv"},
	{"import exits", "[--db DSN] FILE.csv", "imports exit counts (docs/import.md has the template); all or nothing",
		"outbound import exits exits-2026-03.csv"},
	{"import training", "[--db DSN] FILE.csv", "imports officers' completed courses (docs/import.md has the template); all or nothing",
		"outbound import training courses-2026.csv"},
	{"import survey", "[--db DSN] FILE.csv", "imports surveys of crossings' lanes, equipment, connectivity and power; all or nothing",
		"outbound import survey survey-2026.csv"},
	{"import funding", "[--db DSN] FILE.csv", "imports entries of the outbound funding line: allocations, obligations and spending",
		"outbound import funding funding-fy2027.csv"},
	{"user add", "[--db DSN] --name NAME --role ROLE [--crossing CODE]... [--badge ID]",
		"adds a user and prints a one-time password (the first admin is made this way); an officer's badge is what the officer's form records as theirs",
		"outbound user add --name jdoe --role officer --crossing 2304 --badge B1234"},
	{"user list", "[--db DSN]", "lists the users, their roles, crossings and status",
		"outbound user list"},
	{"user disable", "[--db DSN] --name NAME", "disables a user: their sessions end and their tokens stop working",
		"outbound user disable --name jdoe"},
	{"user reset", "[--db DSN] --name NAME", "prints a new one-time password for a user; their sessions end",
		"outbound user reset --name jdoe"},
	{"token create", "[--db DSN] --user NAME [--label TEXT] [--days N] [--crossing CODE]...",
		"makes an API token for a user and prints it once",
		"outbound token create --user jdoe --label tablet-7 --days 90"},
	{"token list", "[--db DSN] [--user NAME]", "lists API tokens, a user's or everyone's",
		"outbound token list --user jdoe"},
	{"token revoke", "[--db DSN] ID", "revokes an API token",
		"outbound token revoke tok_0193a0c46f1e"},
	{"node add", "[--db DSN] --crossing CODE",
		"at headquarters: makes a port node's credential and prints its token once (revoking the node's earlier token)",
		"outbound node add --crossing 2304 | grep ^obt_ > node.token"},
	{"node list", "[--db DSN] [--stale-after DURATION]",
		"every port node's last sync, queue and records set apart; exit 1 if a node is stale or a record is set apart",
		"outbound node list --stale-after 6h"},
	{"sync", "[--db DSN] --upstream URL --upstream-token-file FILE",
		"at a port node: one push and pull round with headquarters",
		"outbound sync --db port.db --upstream https://hq.example:8443 --upstream-token-file node.token"},
	{"audit keygen", "--out FILE", "makes the key that signs audit checkpoints and prints its public key",
		"outbound audit keygen --out /etc/outbound/audit.key"},
	{"audit checkpoint", "[--db DSN] --key FILE", "signs the audit log's head now",
		"outbound audit checkpoint --key /etc/outbound/audit.key"},
	{"audit verify", "[--db DSN] [--public-key HEX[,HEX] | --key FILE] [--checkpoints FILE.json] [--sample N]",
		"recomputes the audit chain, every record and policy against its entry, and the report rollups; exit 1 on any problem",
		"outbound audit verify --public-key 3b6a27bc... --checkpoints kept.json"},
	{"policy check", "[--db DSN] [--format text|json] FILE...",
		"finds conflicts, weaker local rules, inconsistencies and unknown values in policy YAML; exit 1 on findings",
		"outbound policy check national-2026.yaml laredo-sop.yaml"},
	{"policy publish", "[--db DSN] FILE...", "publishes clean policy documents",
		"outbound policy publish national-2026.yaml"},
	{"policy list", "[--db DSN]", "lists the published policy documents",
		"outbound policy list"},
	{"report", "NAME [--db DSN] --from DATE --to DATE [--border B] [--field-office F] [--crossing CODE] [--hourly-rate USD] [--min-coverage PERCENT] [--format table|csv|json|xlsx|pdf] [-o FILE]",
		"prints one report per crossing for a period, with totals; NAME is coverage, compliance, activity, seizures, yield, staffing or exits (--hourly-rate: staffing only; --min-coverage: compliance only)",
		"outbound report coverage --from 2026-01-01 --to 2026-03-31 --border southwest"},
	{"schedule", "[--db DSN] --from DATE --to DATE [--crossing CODE]... [--seed N] [--budget SHIFTS] [--office-budget NAME=SHIFTS]... [--daily-pool SHIFTS] [--weight CODE=W]... [--exits CODE=N]... [--seizure-rate CODE=USD]... [--caught-loss X] [--format table|json|csv] [--explain] [--evaluate PERIODS] [--publish]",
		"draws a schedule of outbound operations that a smuggler who studies it cannot exploit and that meets every policy minimum (docs/scheduling.md)",
		"outbound schedule --from 2026-11-30 --to 2026-12-06 --office-budget Laredo=80 --explain"},
	{"operation plan", "[--db DSN] --name NAME --from DATE --to DATE --officers N [--basis random|intelligence] [--count N] [--crossing CODE]... [--field-office F] [--reason TEXT]",
		"plans a pulse-and-surge operation: crossings drawn from crypto/rand, or named with a reason; prints its id",
		"outbound operation plan --name 'spring surge' --from 2026-04-06 --to 2026-04-10 --officers 12 --count 3 --field-office Laredo"},
	{"operation list", "[--db DSN] --from DATE --to DATE", "lists the operations of a period",
		"outbound operation list --from 2026-04-01 --to 2026-04-30"},
	{"operation show", "[--db DSN] ID", "shows an operation with the inspections, seizures and officer hours it produced",
		"outbound operation show 0193a0c4-6f1e-7c51-9d43-2b8a1f6c0e11"},
	{"gaps", "[--db DSN] [--standard FILE.yaml] [--catalogue FILE.yaml] [--format table|json]",
		"scores each crossing's latest survey against the standard of its class and ranks what is missing, with what closing it costs",
		"outbound gaps --standard gaps/testdata/standard.yaml --catalogue gaps/testdata/catalogue.yaml"},
	{"gaps publish", "[--db DSN] [--standard FILE.yaml] [--catalogue FILE.yaml]",
		"publishes the gap standard and the cost catalogue, each as its next version",
		"outbound gaps publish --standard standard.yaml --catalogue catalogue.yaml"},
	{"budget", "[--db DSN] --fiscal-year YEAR [--target-rate R] [--hourly-rate USD] [--default-minutes MINUTES] [--block-hours HOURS] [--shift-hours HOURS] [--standard FILE.yaml] [--catalogue FILE.yaml] [--format text|table|csv|json|xlsx|pdf] [-o FILE]",
		"a fiscal year's budget request: the officer hours the minimums need against those worked, and the equipment that closes the gaps, the arithmetic shown",
		"outbound budget --fiscal-year 2027 --target-rate 2"},
	{"funding", "[--db DSN] --fiscal-year YEAR [--target-rate R] [--hourly-rate USD] [--default-minutes MINUTES] [--block-hours HOURS] [--shift-hours HOURS] [--standard FILE.yaml] [--catalogue FILE.yaml] [--format table|json]",
		"the outbound funding line per crossing and category against the budget request's plan",
		"outbound funding --fiscal-year 2027"},
	{"training", "[--db DSN] --courses FILE.csv --from DATE --to DATE [--expiring-within DAYS] [--format table|json]",
		"training coverage per crossing and modality against a catalogue of courses, and the certifications about to expire",
		"outbound training --courses courses.csv --from 2026-01-01 --to 2026-06-30"},
	{"generate", "[--db DSN] [--crossings N] [--years N] [--inspections N] [--seed N]",
		"fills a database with national-scale synthetic inspections for benchmarks (no audit entries: not a record)",
		"outbound generate --db bench.db --inspections 1000000"},
	{"version", "", "prints the release and commit the binary was built from and its sync protocol", "outbound version"},
}

// usage is what "outbound --help" prints.
var usage = topUsage()

func topUsage() string {
	var b strings.Builder
	b.WriteString(`outbound: the record and oversight of outbound inspections at land border crossings.

Usage: outbound COMMAND [flags] [arguments]

Commands:
`)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	b.WriteString(`
Run "outbound COMMAND --help" (or "outbound help COMMAND") for its flags and an example.

DSN is a file path or sqlite:PATH (default outbound.db), or postgres://...
Environment: OUTBOUND_DB and OUTBOUND_ADDR give defaults that flags override.
Exit codes: 0 ok, 1 problems found, 2 bad usage or input.
`)
	return b.String()
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// lookup finds the command a flag set belongs to: "report coverage" is
// "report".
func lookup(name string) (command, bool) {
	for n := name; n != ""; {
		for _, c := range commands {
			if c.name == n {
				return c, true
			}
		}
		i := strings.LastIndexByte(n, ' ')
		if i < 0 {
			break
		}
		n = n[:i]
	}
	return command{}, false
}

// group lists a command group's subcommands ("user": add, list, ...).
func group(name string) []command {
	var cs []command
	for _, c := range commands {
		if strings.HasPrefix(c.name, name+" ") {
			cs = append(cs, c)
		}
	}
	return cs
}

// writeGroupHelp prints the subcommands of a group, for "outbound user
// --help".
func writeGroupHelp(w io.Writer, name string, cs []command) {
	fmt.Fprintf(w, "Usage:\n")
	for _, c := range cs {
		fmt.Fprintf(w, "  outbound %s %s\n", c.name, c.synopsis)
	}
	fmt.Fprintf(w, "\nRun \"outbound %s COMMAND --help\" for one command's flags and an example.\n", name)
}

// writeHelp prints a command's usage line, what it does, its flags and
// an example.
func writeHelp(w io.Writer, fs *flag.FlagSet) {
	name := strings.TrimPrefix(fs.Name(), "outbound ")
	c, ok := lookup(name)
	if !ok {
		c = command{name: name}
	}
	fmt.Fprintf(w, "Usage: outbound %s\n", usageLine(c, fs))
	if c.summary != "" {
		fmt.Fprintf(w, "\n%s%s.\n", strings.ToUpper(c.summary[:1]), c.summary[1:])
	}
	var flags []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	if len(flags) > 0 {
		fmt.Fprintf(w, "\nFlags:\n")
		for _, f := range flags {
			dash := "--"
			if len(f.Name) == 1 {
				dash = "-"
			}
			arg := placeholder(c.synopsis, dash+f.Name)
			if arg == "" {
				if _, isBool := f.Value.(interface{ IsBoolFlag() bool }); !isBool {
					arg, _ = flag.UnquoteUsage(f)
					arg = strings.ToUpper(arg)
				}
			}
			fmt.Fprintf(w, "  %s\n      %s%s\n", strings.TrimSpace(dash+f.Name+" "+arg), f.Usage, defaultOf(f))
		}
	}
	if c.example != "" {
		fmt.Fprintf(w, "\nExample:\n  %s\n", c.example)
	}
}

// usageLine is a command's name and synopsis as its flag set has them:
// "report staffing" has --hourly-rate, "report coverage" does not.
func usageLine(c command, fs *flag.FlagSet) string {
	name := strings.TrimPrefix(fs.Name(), "outbound ")
	synopsis := c.synopsis
	if name != c.name { // "report coverage" for "report NAME"
		synopsis = strings.TrimSpace(strings.TrimPrefix(synopsis, "NAME"))
	}
	var kept []string
	for _, opt := range strings.SplitAfter(synopsis, "]") {
		if i := strings.Index(opt, "[-"); i >= 0 {
			flagName := strings.TrimLeft(strings.Fields(strings.NewReplacer("[", " ", "]", " ", "=", " ").Replace(opt[i:]))[0], "-")
			if fs.Lookup(flagName) == nil {
				opt = opt[:i]
			}
		}
		kept = append(kept, opt)
	}
	return strings.Join(strings.Fields(name+" "+strings.Join(kept, "")), " ")
}

// placeholder finds the word that follows a flag in a synopsis: DATE in
// "--from DATE".
func placeholder(synopsis, flagName string) string {
	words := strings.Fields(strings.NewReplacer("[", " ", "]", " ", "...", " ").Replace(synopsis))
	for i, w := range words {
		if w == flagName && i+1 < len(words) && !strings.HasPrefix(words[i+1], "-") {
			return words[i+1]
		}
	}
	return ""
}

// defaultOf says a flag's default, when it has one worth saying.
func defaultOf(f *flag.Flag) string {
	if slices.Contains([]string{"", "0", "false", "0s"}, f.DefValue) {
		return ""
	}
	return fmt.Sprintf(" (default %s)", f.DefValue)
}

// synopsisFlags are the flags a synopsis names, without dashes.
func synopsisFlags(synopsis string) []string {
	var out []string
	for _, w := range strings.Fields(strings.NewReplacer("[", " ", "]", " ", "|", " ", "=", " ").Replace(synopsis)) {
		if strings.HasPrefix(w, "-") {
			out = append(out, strings.TrimLeft(w, "-"))
		}
	}
	return out
}
