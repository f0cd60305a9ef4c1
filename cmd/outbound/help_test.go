package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/outbound-oss/outbound"
)

// helpFlags are the flags a command's help lists, without dashes.
func helpFlags(help string) []string {
	var out []string
	_, list, _ := strings.Cut(help, "\nFlags:\n")
	list, _, _ = strings.Cut(list, "\n\n")
	for _, line := range strings.Split(list, "\n") {
		if strings.HasPrefix(line, "  -") {
			out = append(out, strings.TrimLeft(strings.Fields(line)[0], "-"))
		}
	}
	slices.Sort(out)
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}

// variants are the ways to call a command: "report" is called with each
// report's name, each with its own flags.
func variants(c command) []string {
	if c.name == "report" {
		var out []string
		for _, n := range outbound.ReportNames {
			out = append(out, "report "+n)
		}
		return out
	}
	return []string{c.name}
}

func TestEveryCommandsHelpShowsItsFlagsAndAnExample(t *testing.T) {
	for _, c := range commands {
		var union []string
		for _, v := range append(variants(c), c.name) {
			code, out, errs := run(t, append(strings.Fields(v), "--help")...)
			if code != 0 || errs != "" {
				t.Errorf("outbound %s --help: exit %d, stderr %q; want 0 and nothing", v, code, errs)
				continue
			}
			if !strings.HasPrefix(out, "Usage: outbound "+v) {
				t.Errorf("outbound %s --help starts %q", v, out[:min(60, len(out))])
			}
			if !strings.Contains(out, "\nExample:\n  outbound "+c.name+" ") && !strings.HasSuffix(out, "\nExample:\n  outbound "+c.name+"\n") {
				t.Errorf("outbound %s --help has no example of the command:\n%s", v, out)
			}
			flags := helpFlags(out)
			usageLine, _, _ := strings.Cut(out, "\n")
			if want := sorted(synopsisFlags(usageLine)); !slices.Equal(flags, want) {
				t.Errorf("outbound %s --help lists the flags %v, and its usage line %v", v, flags, want)
			}
			union = append(union, flags...)
		}
		if want := sorted(synopsisFlags(c.synopsis)); !slices.Equal(sorted(union), want) {
			t.Errorf("outbound %s takes the flags %v; its synopsis names %v", c.name, sorted(union), want)
		}
	}
}

func TestOnlyTheFlagsACommandReads(t *testing.T) {
	for args, absent := range map[string][]string{
		"user list":       {"name", "role", "crossing"},
		"token revoke":    {"user", "label", "days"},
		"node add":        {"stale-after"},
		"node list":       {"crossing"},
		"audit keygen":    {"db"},
		"policy publish":  {"format"},
		"policy list":     {"format"},
		"report coverage": {"hourly-rate", "min-coverage"},
		"report staffing": {"min-coverage"},
	} {
		_, out, _ := run(t, append(strings.Fields(args), "--help")...)
		for _, f := range helpFlags(out) {
			if slices.Contains(absent, f) {
				t.Errorf("outbound %s --help lists --%s, which it does not read", args, f)
			}
		}
	}
}

func TestTopLevelAndGroupHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, errs := run(t, args...)
		if code != 0 || errs != "" || !strings.Contains(out, `Run "outbound COMMAND --help"`) {
			t.Errorf("outbound %v: exit %d, stderr %q", args, code, errs)
		}
		for _, c := range commands {
			if !strings.Contains(out, "\n  "+c.name+"  ") {
				t.Errorf("outbound %v does not list %s", args, c.name)
			}
		}
	}
	_, direct, _ := run(t, "schedule", "--help")
	if code, out, _ := run(t, "help", "schedule"); code != 0 || out != direct {
		t.Errorf("outbound help schedule: exit %d, %q; want schedule --help's", code, out)
	}
	for _, g := range []string{"user", "token", "node", "audit", "policy", "operation", "import"} {
		code, out, errs := run(t, g, "--help")
		if code != 0 || errs != "" || !strings.HasPrefix(out, "Usage:\n  outbound "+g+" ") {
			t.Errorf("outbound %s --help: exit %d, stdout %q, stderr %q", g, code, out, errs)
		}
	}
}

func TestABadFlagIsOneErrorPrintedOnce(t *testing.T) {
	for _, c := range commands {
		for _, v := range variants(c) {
			args := append(strings.Fields(v), "--no-such-flag")
			code, out, errs := run(t, args...)
			if code != 2 || out != "" || strings.Count(errs, "\n") != 1 ||
				strings.Count(errs, "flag provided but not defined: -no-such-flag") != 1 {
				t.Errorf("outbound %s --no-such-flag: exit %d, stdout %q, stderr %q; want 2 and one line", v, code, out, errs)
			}
		}
	}
	code, _, errs := run(t, "schedule", "--seed")
	if code != 2 || errs != "outbound: schedule: flag needs an argument: -seed (outbound schedule --help lists its flags)\n" {
		t.Errorf("schedule --seed: exit %d, stderr %q", code, errs)
	}
}

// TestEveryDispatchedCommandHasHelp reads the switch of Main.Run: a
// subcommand added there without an entry in commands would have no
// help.
func TestEveryDispatchedCommandHasHelp(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "app.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	ast.Inspect(f, func(n ast.Node) bool {
		if fn, ok := n.(*ast.FuncDecl); ok && fn.Name.Name != "Run" {
			return false
		}
		if cc, ok := n.(*ast.CaseClause); ok {
			for _, e := range cc.List {
				if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					names = append(names, s)
				}
			}
		}
		return true
	})
	if len(names) < 10 {
		t.Fatalf("found only %v in Main.Run's switch", names)
	}
	for _, name := range names {
		if name == "help" || isHelp(name) {
			continue
		}
		if _, ok := lookup(name); !ok && len(group(name)) == 0 {
			t.Errorf("outbound %s is dispatched but has no entry in commands (help.go)", name)
		}
	}
}
