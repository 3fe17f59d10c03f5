package pglocal

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// runAs is the account the PostgreSQL processes run as: the current one, or `postgres` when the
// portal runs as root (initdb and postgres refuse root).
type runAs struct {
	name     string
	uid, gid int
	cred     *syscall.Credential // nil: run as the current user
}

func serverUser() (runAs, error) {
	if os.Geteuid() != 0 {
		return runAs{name: "current user", uid: os.Geteuid(), gid: os.Getegid()}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return runAs{}, fmt.Errorf("pglocal: running as root, PostgreSQL must run as an unprivileged user, but there is no user \"postgres\" " +
			"(the postgresql package creates it; or run the portal as an ordinary user)")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return runAs{name: "postgres", uid: uid, gid: gid,
		cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}}, nil
}

// command prepares an exec.Cmd that runs as the server user in its own process group, so that a
// Ctrl-C in the terminal reaches only the portal, which then stops the server after the last
// request instead of under it.
func (o runAs) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: o.cred}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if o.cred != nil {
		cmd.Dir = "/" // root's working folder may be closed to the server user
	}
	return cmd
}

// prepareDir creates dir (mode 0700) owned by the server user and checks that the server user can
// reach it: a folder inside a root-only parent (such as /root) cannot work, and saying so early beats
// PostgreSQL's own error.
func prepareDir(dir string, o runAs) error {
	// Parents made here stay enterable (0755) so that the server user can reach dir.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("pglocal: %w", err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("pglocal: %w", err)
	}
	if o.cred != nil {
		if err := os.Chown(dir, o.uid, o.gid); err != nil {
			return fmt.Errorf("pglocal: %w", err)
		}
		for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
			if !traversable(p, o) {
				return fmt.Errorf("pglocal: PostgreSQL runs as user %s, which cannot enter %s to reach %s; "+
					"choose a data folder it can reach with ISMS_DATA_DIR (e.g. /var/lib/isms), or run as an ordinary user", o.name, p, dir)
			}
			if p == filepath.Dir(p) {
				break
			}
		}
	}
	return os.Chmod(dir, 0o700)
}

func traversable(dir string, o runAs) bool {
	fi, err := os.Stat(dir)
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return true
	}
	mode := fi.Mode().Perm()
	switch {
	case int(st.Uid) == o.uid:
		return mode&0o100 != 0
	case int(st.Gid) == o.gid:
		return mode&0o010 != 0
	default:
		return mode&0o001 != 0
	}
}
