// Package pglocal runs a private PostgreSQL cluster from the server binaries already installed on
// the machine, so that the portal and its tests need nothing but the `postgresql` package. The
// cluster listens only on a unix socket in a folder of its own and trusts local connections: the
// folder's permissions are its access control. It never touches a system-wide cluster.
package pglocal

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Superuser is the role initdb creates and the portal connects as.
const Superuser = "isms"

// port names the socket file; nothing listens on TCP.
const port = "5432"

// ErrNoBinaries reports that no PostgreSQL server binaries were found. Its text names the three
// ways out because it is what a newcomer sees on a machine without PostgreSQL.
var ErrNoBinaries = errors.New("no PostgreSQL server binaries (initdb, postgres) were found on PATH or under /usr/lib/postgresql/*/bin; " +
	"either install them (Debian/Ubuntu: apt-get install postgresql), " +
	"or point the portal at an existing server with ISMS_DATABASE_URL=postgres://…, " +
	"or run the portal and its database with `docker compose up`")

// Options configure a cluster.
type Options struct {
	// DataDir is the cluster folder (PGDATA). It is created and initialised when empty.
	DataDir string
	// Throwaway turns off durability (fsync, full-page writes) for test clusters. Never for real data.
	Throwaway bool
	// Logger receives start and stop messages; nil discards them.
	Logger *slog.Logger
}

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	dataDir  string
	sockDir  string
	ownSock  bool // sockDir was made for this cluster and is removed at Stop
	log      *slog.Logger
	proc     *os.Process
	exited   chan struct{}
	exitErr  error
	stopOnce bool
}

// Start initialises DataDir if needed and starts PostgreSQL on it. When the portal runs as root,
// PostgreSQL (which refuses to run as root) runs as the unprivileged `postgres` user and owns the
// folder. The server is told to stop when the calling process dies, so a killed portal or test
// leaves no server behind.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	dataDir, err := filepath.Abs(opts.DataDir)
	if err != nil {
		return nil, fmt.Errorf("pglocal: %w", err)
	}
	owner, err := serverUser()
	if err != nil {
		return nil, err
	}
	if err := prepareDir(dataDir, owner); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		log.Info("creating PostgreSQL cluster", "dir", dataDir)
		args := []string{"-D", dataDir, "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"}
		if opts.Throwaway {
			args = append(args, "--no-sync")
		}
		if out, err := owner.command(ctx, filepath.Join(bin, "initdb"), args...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("pglocal: initdb %s: %w\n%s", dataDir, err, out)
		}
	}

	c := &Cluster{dataDir: dataDir, log: log, exited: make(chan struct{})}
	c.sockDir, c.ownSock = socketDir(dataDir)
	if c.ownSock {
		if err := prepareDir(c.sockDir, owner); err != nil {
			return nil, err
		}
	}
	if err := clearStaleLock(dataDir, filepath.Join(dataDir, "postmaster.pid")); err != nil {
		return nil, err
	}
	if err := clearStaleLock(dataDir, filepath.Join(c.sockDir, ".s.PGSQL."+port+".lock")); err != nil {
		return nil, err
	}

	args := []string{"-D", dataDir, "-k", c.sockDir, "-p", port, "-c", "listen_addresses="}
	if opts.Throwaway {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	logFile, err := os.OpenFile(dataDir+".log", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("pglocal: server log: %w", err)
	}
	defer logFile.Close() // the child holds its own descriptor
	cmd := owner.command(context.Background(), filepath.Join(bin, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := c.start(cmd); err != nil {
		return nil, err
	}
	if err := c.waitReady(ctx); err != nil {
		c.Stop()
		return nil, err
	}
	log.Info("PostgreSQL started", "dir", dataDir, "socket", c.sockDir)
	return c, nil
}

// URL returns the connection URL of database db on the cluster.
func (c *Cluster) URL(db string) string {
	return (&url.URL{
		Scheme:   "postgres",
		User:     url.User(Superuser),
		Path:     "/" + db,
		RawQuery: "host=" + url.QueryEscape(c.sockDir) + "&sslmode=disable",
	}).String()
}

// Stop shuts the server down (fast shutdown: open sessions are ended) and waits for it to exit.
// It is safe to call more than once.
func (c *Cluster) Stop() error {
	if c.stopOnce {
		<-c.exited
		return nil
	}
	c.stopOnce = true
	_ = c.proc.Signal(syscall.SIGINT)
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		_ = c.proc.Signal(syscall.SIGQUIT)
		<-c.exited
	}
	if c.ownSock {
		_ = os.RemoveAll(c.sockDir)
	}
	c.log.Info("PostgreSQL stopped", "dir", c.dataDir)
	return nil
}

// waitReady waits until the server reports "ready" in postmaster.pid, its standard readiness signal.
func (c *Cluster) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(filepath.Join(c.dataDir, "postmaster.pid")); err == nil {
			lines := strings.Split(string(b), "\n")
			if len(lines) >= 8 && strings.TrimSpace(lines[7]) == "ready" {
				return nil
			}
		}
		select {
		case <-c.exited:
			return fmt.Errorf("pglocal: PostgreSQL exited during start-up (%v); see %s.log", c.exitErr, c.dataDir)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return fmt.Errorf("pglocal: PostgreSQL did not become ready within 60 s; see %s.log", c.dataDir)
}

// BinDir finds the folder holding initdb and postgres: PATH first, then the newest
// /usr/lib/postgresql/NN/bin (where Debian installs them, off PATH).
func BinDir() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		dir := filepath.Dir(p)
		if isExec(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return majorOf(b) - majorOf(a) })
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// socketDir returns the socket folder: the data folder itself, unless the socket path would
// exceed the kernel's limit (about 107 bytes), in which case a short folder under /tmp named
// after the data folder.
func socketDir(dataDir string) (dir string, own bool) {
	if len(filepath.Join(dataDir, ".s.PGSQL."+port+".lock")) < 100 {
		return dataDir, false
	}
	sum := sha256.Sum256([]byte(dataDir))
	return filepath.Join(os.TempDir(), "isms-pg-"+hex.EncodeToString(sum[:6])), true
}

// clearStaleLock removes a lock file left by a server that died without cleaning up. A live
// server on the same data folder is refused rather than shared: two portals must not run one
// cluster's lifecycle.
func clearStaleLock(dataDir, lock string) error {
	f, err := os.Open(lock)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("pglocal: %w", err)
	}
	sc := bufio.NewScanner(f)
	sc.Scan()
	f.Close()
	pid, _ := strconv.Atoi(strings.TrimSpace(sc.Text()))
	if pid > 0 && runsPostgresOn(pid, dataDir) {
		return fmt.Errorf("pglocal: PostgreSQL (pid %d) is already running on %s; is another portal using this data folder?", pid, dataDir)
	}
	if err := os.Remove(lock); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("pglocal: removing stale lock: %w", err)
	}
	return nil
}

// runsPostgresOn reports whether pid is a live postgres process started on dataDir. Checking the
// command line, not just the pid, keeps a recycled pid from blocking the start after a crash.
func runsPostgresOn(pid int, dataDir string) bool {
	if _, err := os.Stat("/proc/self/cmdline"); err != nil {
		// No /proc (macOS): a live pid is taken as the server, erring on the side of not sharing.
		err := syscall.Kill(pid, 0)
		return err == nil || errors.Is(err, syscall.EPERM)
	}
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	args := bytes.Split(cmdline, []byte{0})
	return len(args) > 0 && filepath.Base(string(args[0])) == "postgres" &&
		slices.ContainsFunc(args, func(a []byte) bool { return string(a) == dataDir })
}
