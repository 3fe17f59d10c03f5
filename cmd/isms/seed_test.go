package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

// `isms seed demo` loads the demo town and prints what it made; a second run is refused with
// exit 1 and changes nothing.
func TestSeedDemoCommand(t *testing.T) {
	vars := map[string]string{"ISMS_DATABASE_URL": pgtest.URL(t)}
	cmd := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, env(vars), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	code, out, errOut := cmd("seed", "demo")
	if code != 0 || !regexp.MustCompile(`units \d+, people \d+, role assignments \d+, warnings 2\n`).MatchString(out) ||
		!strings.Contains(out, "warning no_manager: 商工観光課\n") || !strings.Contains(out, "warning audits_own_unit: 建設課 (") {
		t.Fatalf("seed demo: exit %d\n%s%s", code, out, errOut)
	}
	_, verified, _ := cmd("audit", "verify")
	code, out, errOut = cmd("seed", "demo")
	if code != 1 || out != "" || !strings.Contains(errOut, "refused") || !strings.Contains(errOut, "Nothing was changed") {
		t.Errorf("second seed demo: exit %d, %q %q", code, out, errOut)
	}
	if _, again, _ := cmd("audit", "verify"); again != verified || !strings.HasPrefix(again, "ok ") {
		t.Errorf("audit trail before the refused seed %q, after %q", verified, again)
	}
	for _, args := range [][]string{{"seed"}, {"seed", "production"}, {"seed", "demo", "twice"}} {
		if code, _, errOut := cmd(args...); code != 2 || !strings.Contains(errOut, "demo") {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

// The first start on an empty database loads the demo town and says so in one log line with the
// counts; the portal keeps it on later starts and does not load it again.
func TestServeLoadsTheDemoAtFirstStart(t *testing.T) {
	vars := map[string]string{"ISMS_DATABASE_URL": pgtest.URL(t), "ISMS_DATA_DIR": t.TempDir()}
	_, stop, out := startPortal(t, vars)
	if code := stop(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	lines := regexp.MustCompile(`(?m)^.*demo town loaded.*units=\d+ people=\d+ assignments=\d+ warnings=2 .*$`).FindAllString(out.String(), -1)
	if len(lines) != 1 {
		t.Fatalf("want one log line for the demo town:\n%s", out)
	}
	t.Log(lines[0])

	_, stop, out = startPortal(t, vars)
	if code := stop(); code != 0 || strings.Contains(out.String(), "demo town") {
		t.Errorf("second start: exit %d\n%s", code, out)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"seed", "demo"}, env(vars), &stdout, &stderr); code != 1 {
		t.Errorf("seed demo after the first start: exit %d, %q", code, stdout.String()+stderr.String())
	}
}
