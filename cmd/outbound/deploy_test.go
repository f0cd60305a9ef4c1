package main

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// buildOutbound builds the binary with the go command's args (and env,
// such as CGO_ENABLED=0) into a temporary directory.
func buildOutbound(t *testing.T, env []string, args ...string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "outbound")
	cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, args...), ".")...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %v: %v\n%s", args, err, out)
	}
	return bin
}

// The binary the Containerfile builds (CGO_ENABLED=0) is static, so that
// it runs in an empty image, and knows its time zones.
func TestContainerBinaryIsStatic(t *testing.T) {
	bin := buildOutbound(t, []string{"CGO_ENABLED=0"}, "-trimpath", "-ldflags", "-X main.release=v0.0.0-container")
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Fatal("the container's binary asks for a dynamic loader; an empty image has none")
		}
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.Contains(string(out), "v0.0.0-container") {
		t.Fatalf("version: %q %v", out, err)
	}
	cf, err := os.ReadFile("../../deploy/Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cf), "CGO_ENABLED=0 go build") {
		t.Error("the Containerfile no longer builds as this test does")
	}
}

// The deployment files name only flags the commands take, and systemd
// finds nothing wrong in the units.
func TestDeploymentFilesMatchTheCommands(t *testing.T) {
	units, _ := filepath.Glob("../../deploy/systemd/*.service")
	if len(units) < 2 {
		t.Fatalf("units: %v", units)
	}
	files := append(units, "../../deploy/Containerfile")
	flagRE := regexp.MustCompile(`--([a-z][a-z-]*)`)
	envRE := regexp.MustCompile(`\$\{(\w+)\}`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(b), "\\\n", " ")
		for _, line := range strings.Split(text, "\n") {
			var cmdline []string
			switch {
			case strings.HasPrefix(line, "ExecStart"):
				cmdline = strings.Fields(line[strings.Index(line, "=")+1:])[1:]
			case strings.HasPrefix(line, "CMD ["):
				cmdline = strings.Fields(strings.NewReplacer(`"`, "", ",", "", "[", "", "]", "").Replace(line[len("CMD "):]))
			default:
				continue
			}
			_, out, errs := run(t, cmdline[0], "--help")
			help := out + errs
			for _, m := range flagRE.FindAllStringSubmatch(strings.Join(cmdline[1:], " "), -1) {
				if !regexp.MustCompile(`(?m)^\s+-{1,2}` + regexp.QuoteMeta(m[1]) + `\b`).MatchString(help) {
					t.Errorf("%s: outbound %s takes no --%s", filepath.Base(f), cmdline[0], m[1])
				}
			}
		}
		// Variables the units expand are set in the example configuration.
		if !strings.HasSuffix(f, ".service") {
			continue
		}
		for _, m := range envRE.FindAllStringSubmatch(text, -1) {
			env, _ := filepath.Glob("../../deploy/config/*.env")
			found := false
			for _, e := range env {
				b, _ := os.ReadFile(e)
				found = found || regexp.MustCompile(`(?m)^`+m[1]+`=`).Match(b)
			}
			if !found {
				t.Errorf("%s expands ${%s}, which no example in deploy/config sets", filepath.Base(f), m[1])
			}
		}
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed: the units' syntax is not checked")
	}
	bin := buildOutbound(t, nil)
	dir := t.TempDir()
	for _, u := range units {
		b, _ := os.ReadFile(u)
		copyOf := filepath.Join(dir, filepath.Base(u))
		os.WriteFile(copyOf, bytes.ReplaceAll(b, []byte("/usr/local/bin/outbound"), []byte(bin)), 0o644)
		out, err := exec.Command(analyze, "verify", copyOf).CombinedOutput()
		if err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify %s: %v\n%s", filepath.Base(u), err, out)
		}
	}
}
