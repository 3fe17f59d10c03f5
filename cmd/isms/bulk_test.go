package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jichitai-isms/isms/internal/isms"
	"github.com/jichitai-isms/isms/internal/postgres"
	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

// `isms seed bulk --assets N` loads the demo town (the database is empty) and N assets, and says
// what it made and how long it took; without a count it refuses; into a real organisation it
// refuses and changes nothing.
func TestSeedBulkCommand(t *testing.T) {
	vars := map[string]string{"ISMS_DATABASE_URL": pgtest.URL(t)}
	cmd := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, env(vars), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	for _, args := range [][]string{{"seed", "bulk"}, {"seed", "bulk", "--assets", "0"}, {"seed", "bulk", "--assets", "x"},
		{"seed", "bulk", "--assets", "10", "more"}} {
		if code, out, errOut := cmd(args...); code != 2 || out != "" || !strings.Contains(errOut, "--assets") {
			t.Errorf("%v: exit %d, %q %q", args, code, out, errOut)
		}
	}
	if code, _, errOut := cmd("seed", "bulk", "--help"); code != 0 || !strings.Contains(errOut, "ONE event") {
		t.Errorf("help: exit %d, %q", code, errOut)
	}

	code, out, errOut := cmd("seed", "bulk", "--assets", "500")
	if code != 0 || !strings.Contains(out, "demo town みどり町 loaded first") ||
		!regexp.MustCompile(`Bulk register loaded in [0-9.]+ s`).MatchString(out) ||
		!regexp.MustCompile(`assets 500 in \d+ units, systems \d+ new`).MatchString(out) ||
		!strings.Contains(out, "by type: INFO_ELECTRONIC ") || !strings.Contains(out, "one event seed.bulk") {
		t.Fatalf("seed bulk: exit %d\n%s%s", code, out, errOut)
	}
	if _, verified, _ := cmd("audit", "verify"); !strings.HasPrefix(verified, "ok ") {
		t.Errorf("audit verify after the load: %q", verified)
	}

	// The demo command now refuses (the organisation is not empty); a second bulk load adds.
	if code, _, _ := cmd("seed", "demo"); code != 1 {
		t.Errorf("seed demo after seed bulk: exit %d", code)
	}
	code, out, _ = cmd("seed", "bulk", "--assets", "20", "--seed", "2")
	if code != 0 || strings.Contains(out, "loaded first") || !strings.Contains(out, "kept from an earlier load") {
		t.Errorf("second seed bulk: exit %d\n%s", code, out)
	}
}

func TestSeedBulkRefusesARealOrganisation(t *testing.T) {
	vars := map[string]string{"ISMS_DATABASE_URL": pgtest.URL(t)}
	cmd := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, env(vars), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	// A town of its own: one unit that is not the demo's.
	db, err := postgres.Open(context.Background(), vars["ISMS_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	from := time.Date(2020, 4, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.CreateUnit(context.Background(), isms.SystemActor("test"),
		isms.UnitInput{Code: "100", Name: "総務部", Type: isms.UnitDepartment, InScope: true, ValidFrom: &from}); err != nil {
		t.Fatal(err)
	}
	_, before, _ := cmd("audit", "verify")
	code, out, errOut := cmd("seed", "bulk", "--assets", "10")
	if code != 1 || out != "" || !strings.Contains(errOut, "refused") || !strings.Contains(errOut, "Nothing was changed") {
		t.Errorf("seed bulk: exit %d, %q %q", code, out, errOut)
	}
	if _, after, _ := cmd("audit", "verify"); after != before {
		t.Errorf("audit trail before %q, after %q", before, after)
	}
}
