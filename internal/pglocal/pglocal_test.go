package pglocal

import (
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tempDir makes a folder of the test's own under os.TempDir and removes it when the test ends.
// It is opened to 0755 because, when the tests run as root, the server runs as `postgres`, which
// must be able to enter it to reach the data folder inside.
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pglocal-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Error(err)
		}
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// startCluster starts a throwaway cluster on dataDir and stops it when the test ends. Stop is
// idempotent, so tests may also stop it themselves.
func startCluster(t *testing.T, dataDir string) *Cluster {
	t.Helper()
	c, err := Start(t.Context(), Options{DataDir: dataDir, Throwaway: true})
	if err != nil {
		log, _ := os.ReadFile(dataDir + ".log")
		t.Fatalf("Start(%s): %v\nserver log:\n%s", dataDir, err, log)
	}
	t.Cleanup(func() { _ = c.Stop() })
	return c
}

// psql runs one SQL command with the psql next to the server binaries and returns its unaligned,
// tuples-only output. -X keeps a ~/.psqlrc out of the way.
func psql(t *testing.T, c *Cluster, sql string) string {
	t.Helper()
	bin, err := BinDir()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(bin, "psql"), "-X", "-v", "ON_ERROR_STOP=1", "-tA", "-d", c.URL("postgres"), "-c", sql)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("psql -c %q: %v\n%s", sql, err, out)
	}
	return strings.TrimSpace(string(out))
}

// socketHost returns the socket folder named by the host parameter of the cluster's URL, which is
// what clients actually use.
func socketHost(t *testing.T, c *Cluster) string {
	t.Helper()
	u, err := url.Parse(c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	host := u.Query().Get("host")
	if host == "" {
		t.Fatalf("URL %s has no host parameter", c.URL("postgres"))
	}
	return host
}

func assertSocket(t *testing.T, dir string) {
	t.Helper()
	sock := filepath.Join(dir, ".s.PGSQL."+port)
	fi, err := os.Stat(sock)
	if err != nil {
		t.Fatalf("socket: %v", err)
	}
	if fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("%s is not a socket (mode %v)", sock, fi.Mode())
	}
}

func TestStartInitialisesAndRestartKeepsData(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(tempDir(t), "data")

	c := startCluster(t, dataDir)
	if _, err := os.Stat(filepath.Join(dataDir, "PG_VERSION")); err != nil {
		t.Fatalf("cluster not initialised: %v", err)
	}
	if got := socketHost(t, c); got != dataDir {
		t.Errorf("socket folder = %s, want the data folder %s", got, dataDir)
	}
	assertSocket(t, socketHost(t, c))
	psql(t, c, "CREATE TABLE marker(x int)")
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid after Stop: %v, want it removed", err)
	}

	// The second Start must find PG_VERSION and skip initdb, so the table survives.
	c = startCluster(t, dataDir)
	if got := psql(t, c, "SELECT count(*) FROM pg_tables WHERE tablename='marker'"); got != "1" {
		t.Errorf("marker tables after restart = %q, want 1", got)
	}
}

func TestStaleLockDoesNotBlockStart(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(tempDir(t), "data")
	c := startCluster(t, dataDir)
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}

	// Fake what a server killed with -9 leaves behind, in the layout PostgreSQL writes. The pid is
	// that of this test: alive, but not a postgres on this folder, as after pid reuse, so Start must
	// recognise the locks as stale rather than merely check that the pid exists.
	lock := strings.Join([]string{
		strconv.Itoa(os.Getpid()), dataDir, "1700000000", port, dataDir, "", "  5432001         0", "ready   ", "",
	}, "\n")
	for _, name := range []string{"postmaster.pid", ".s.PGSQL." + port + ".lock"} {
		if err := os.WriteFile(filepath.Join(dataDir, name), []byte(lock), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	c = startCluster(t, dataDir)
	if got := psql(t, c, "SELECT 1"); got != "1" {
		t.Errorf("SELECT 1 = %q", got)
	}
	// The lock now belongs to the new server, not to the fake.
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	if pid := strings.SplitN(string(b), "\n", 2)[0]; pid == strconv.Itoa(os.Getpid()) {
		t.Errorf("postmaster.pid still names the fake pid %s", pid)
	}
}

func TestSecondStartOnRunningClusterFails(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(tempDir(t), "data")
	c := startCluster(t, dataDir)

	c2, err := Start(t.Context(), Options{DataDir: dataDir, Throwaway: true})
	if err == nil {
		_ = c2.Stop()
		t.Fatal("second Start on a running cluster succeeded, want an error")
	}
	if !strings.Contains(err.Error(), "already running") {
		t.Errorf("error = %q, want it to say the server is already running", err)
	}
	// The refused Start must leave the running server and its lock alone.
	if got := psql(t, c, "SELECT 1"); got != "1" {
		t.Errorf("first cluster after refused Start: SELECT 1 = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); err != nil {
		t.Errorf("postmaster.pid of the running server: %v", err)
	}
}

func TestDeepDataDirUsesShortSocketDir(t *testing.T) {
	t.Parallel()
	// A unix socket path must fit in about 107 bytes; this data folder alone is longer.
	dataDir := filepath.Join(tempDir(t), "a-rather-long-folder-name-for-the-data",
		"and-another-one-to-go-past-the-unix-socket-path-limit", "data")
	if len(dataDir) <= 110 {
		t.Fatalf("test data folder is only %d bytes long", len(dataDir))
	}

	c := startCluster(t, dataDir)
	sockDir := socketHost(t, c)
	if want, _ := socketDir(dataDir); sockDir != want || sockDir == dataDir {
		t.Fatalf("socket folder = %s, want %s", sockDir, want)
	}
	assertSocket(t, sockDir)
	if got := psql(t, c, "SELECT 1"); got != "1" {
		t.Errorf("SELECT 1 = %q", got)
	}

	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sockDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket folder %s after Stop: %v, want it removed", sockDir, err)
	}
}

func TestBinDir(t *testing.T) {
	t.Run("off PATH", func(t *testing.T) {
		// Debian installs initdb and postgres under /usr/lib/postgresql/NN/bin, off PATH.
		t.Setenv("PATH", tempDir(t))
		dir, err := BinDir()
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := filepath.Match("/usr/lib/postgresql/*/bin", dir); !ok {
			t.Errorf("BinDir() = %s, want /usr/lib/postgresql/*/bin", dir)
		}
		for _, name := range []string{"initdb", "postgres"} {
			if !isExec(filepath.Join(dir, name)) {
				t.Errorf("%s has no executable %s", dir, name)
			}
		}
	})

	t.Run("PATH first", func(t *testing.T) {
		// Binaries on PATH win over the Debian location (they need not work: BinDir only looks).
		dir := tempDir(t)
		for _, name := range []string{"initdb", "postgres"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		t.Setenv("PATH", dir)
		if got, err := BinDir(); err != nil || got != dir {
			t.Errorf("BinDir() = %s, %v; want %s", got, err, dir)
		}
	})

	t.Run("error text", func(t *testing.T) {
		// The error is what a newcomer without PostgreSQL sees, so it must name every way out.
		for _, want := range []string{"apt-get install postgresql", "ISMS_DATABASE_URL", "docker compose up"} {
			if !strings.Contains(ErrNoBinaries.Error(), want) {
				t.Errorf("ErrNoBinaries does not mention %q: %s", want, ErrNoBinaries)
			}
		}
	})
}

func TestSocketDir(t *testing.T) {
	short := "/var/lib/isms/pg"
	if dir, own := socketDir(short); dir != short || own {
		t.Errorf("socketDir(%s) = %s, %v; want the data folder itself", short, dir, own)
	}

	long := "/srv/" + strings.Repeat("very-long-folder-name/", 8) + "pg"
	dir, own := socketDir(long)
	if !own || !strings.HasPrefix(dir, filepath.Join(os.TempDir(), "isms-pg-")) {
		t.Errorf("socketDir(%s) = %s, %v; want an own folder %s/isms-pg-…", long, dir, own, os.TempDir())
	}
	if len(dir) >= 60 {
		t.Errorf("socketDir(%s) = %s, %d bytes; want it short", long, dir, len(dir))
	}
	// Named after the data folder: stable for one folder, distinct for another.
	if again, _ := socketDir(long); again != dir {
		t.Errorf("socketDir is not stable: %s then %s", dir, again)
	}
	if other, _ := socketDir(long + "2"); other == dir {
		t.Errorf("two data folders share the socket folder %s", dir)
	}

	// Whatever the length, the socket and its lock fit in sun_path (108 bytes with the final NUL).
	for n := 1; n <= 300; n++ {
		data := "/" + strings.Repeat("d", n)
		dir, _ := socketDir(data)
		for _, name := range []string{".s.PGSQL." + port, ".s.PGSQL." + port + ".lock"} {
			if p := filepath.Join(dir, name); len(p) > 107 {
				t.Fatalf("data folder of %d bytes: socket path %s is %d bytes", len(data), p, len(p))
			}
		}
	}
}
