package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jichitai-isms/isms/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// syncBuffer lets the test read what a running portal has printed so far.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startPortal runs `isms serve` in-process until the returned stop function, which plays the part
// of Ctrl-C and returns the exit status.
func startPortal(t *testing.T, vars map[string]string) (base string, stop func() int, output *syncBuffer) {
	t.Helper()
	addr := freeAddr(t)
	vars["ISMS_ADDR"] = addr
	ctx, cancel := context.WithCancel(context.Background())
	output = &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"serve"}, env(vars), output, output) }()
	base = "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case code := <-done:
			t.Fatalf("portal exited with %d before answering:\n%s", code, output)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("portal did not answer within 60 s:\n%s", output)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base, func() int { cancel(); return <-done }, output
}

func fetch(t *testing.T, u string) string {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", u, res.StatusCode)
	}
	return string(b)
}

// The newcomer's path: with no database configured the portal creates its own cluster in the
// data folder, serves the Japanese landing page, stops cleanly (exit 0) on the signal, and a
// second start finds the same data. The demo town is turned off, and nothing of it is loaded.
func TestServeWithPrivateCluster(t *testing.T) {
	dir, err := os.MkdirTemp("", "isms-serve-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	vars := map[string]string{"ISMS_DATA_DIR": dir + "/var", "ISMS_DEMO": "false"}

	base, stop, out := startPortal(t, vars)
	if body := fetch(t, base+"/"); !strings.Contains(body, "情報セキュリティ管理ポータル") {
		t.Error("landing page is not the Japanese one")
	}
	if !strings.Contains(out.String(), base) {
		t.Errorf("the portal did not print its address %s:\n%s", base, out)
	}
	// The first start creates the first administrator and shows its one-time password once.
	if !strings.Contains(out.String(), "ログインID / login:               admin") || !strings.Contains(out.String(), "一時パスワード / one-time password: ") {
		t.Errorf("first start did not print the first administrator:\n%s", out)
	}
	if strings.Contains(out.String(), "demo town") {
		t.Errorf("ISMS_DEMO=false, yet the demo town was loaded:\n%s", out)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d after the stop signal:\n%s", code, out)
	}
	if _, err := os.Stat(dir + "/var/pgdata/postmaster.pid"); !os.IsNotExist(err) {
		t.Error("PostgreSQL is still running after the portal stopped")
	}

	base, stop, out = startPortal(t, map[string]string{"ISMS_DATA_DIR": dir + "/var"})
	fetch(t, base+"/")
	if strings.Contains(out.String(), "creating PostgreSQL cluster") || strings.Contains(out.String(), "schema migrated") ||
		strings.Contains(out.String(), "one-time password") {
		t.Errorf("second start did not reuse the data:\n%s", out)
	}
	if code := stop(); code != 0 {
		t.Fatalf("second run: exit %d", code)
	}

	// The audit trail holds the first start's migration and the administrator's creation, and
	// verifies: no demo town either at the first start (turned off) or at the second (not the first
	// start any more, though the organisation is still empty).
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"audit", "verify"}, env(vars), &stdout, &stderr); code != 0 || stdout.String() != "ok 2 events\n" {
		t.Errorf("audit verify: exit %d, %q %q", code, stdout.String(), stderr.String())
	}
}

func TestMigrateUserAndAuditCommands(t *testing.T) {
	vars := map[string]string{"ISMS_DATABASE_URL": pgtest.URL(t)}
	cmd := func(args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), args, env(vars), &stdout, &stderr)
		return code, stdout.String() + stderr.String()
	}
	code, out := cmd("migrate", "version")
	var v int
	if _, err := fmt.Sscanf(out, "schema version %d", &v); code != 0 || err != nil || v < 4 {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, out := cmd("migrate", "down", "1"); code != 0 || !strings.Contains(out, fmt.Sprintf("%d → %d", v, v-1)) {
		t.Errorf("down 1: %d %q", code, out)
	}
	if code, out := cmd("migrate", "up"); code != 0 || !strings.Contains(out, fmt.Sprintf("%d → %d", v-1, v)) {
		t.Errorf("up: %d %q", code, out)
	}
	if code, out := cmd("user", "create", "--login", "suzuki", "--name", "鈴木 花子", "--role", "security_office"); code != 0 ||
		!strings.Contains(out, "created suzuki (security_office)") || !strings.Contains(out, "one-time password: ") {
		t.Errorf("user create: %d %q", code, out)
	}
	if code, out := cmd("user", "create", "--login", "SUZUKI", "--name", "鈴木 花子", "--role", "auditor"); code != 2 ||
		!strings.Contains(out, "--login: このログインIDは既に使われています。") {
		t.Errorf("duplicate login: %d %q", code, out)
	}
	if code, out := cmd("user", "create", "--login", "x", "--name", "", "--role", "king"); code != 2 ||
		!strings.Contains(out, "--role: 選択肢から選んでください。") || !strings.Contains(out, "--name: 入力してください。") {
		t.Errorf("bad input: %d %q", code, out)
	}
	// The template's migration, the down and up, and the account: four events, chain intact.
	if code, out := cmd("audit", "verify"); code != 0 || out != "ok 4 events\n" {
		t.Errorf("audit verify: %d %q", code, out)
	}
	// Someone with database access rewrites the account's creation behind the portal's back.
	conn, err := pgx.Connect(context.Background(), vars["ISMS_DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var tampered int64
	for _, sql := range []string{
		`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`,
		`UPDATE audit_events SET actor_label = 'nobody' WHERE action = 'user.create' RETURNING id`,
		`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`,
	} {
		if err := conn.QueryRow(context.Background(), sql).Scan(&tampered); err != nil && err != pgx.ErrNoRows {
			t.Fatal(err)
		}
	}
	if code, out := cmd("audit", "verify"); code != 1 || !strings.HasPrefix(out, fmt.Sprintf("broken at event %d ", tampered)) {
		t.Errorf("audit verify after tampering: %d %q", code, out)
	}
	if code, _ := cmd("migrate", "down", "zero"); code != 2 {
		t.Errorf("down zero: exit %d, want 2", code)
	}
	if code, _ := cmd("migrate", "sideways"); code != 2 {
		t.Errorf("sideways: exit %d, want 2", code)
	}
}
