package pglocal

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperEnv names the data folder for TestHelperProcess; unset, that test does nothing.
const helperEnv = "PGLOCAL_HELPER_DIR"

// prSetChildSubreaper is PR_SET_CHILD_SUBREAPER, which package syscall defines only on some
// architectures.
const prSetChildSubreaper = 36

// TestHelperProcess is not a test: TestParentDeathStopsServer runs the test binary again with
// helperEnv set, and this function then plays a portal that starts a cluster, reports the
// postmaster's pid on stdout and waits to be killed.
func TestHelperProcess(t *testing.T) {
	dataDir := os.Getenv(helperEnv)
	if dataDir == "" {
		return
	}
	c, err := Start(context.Background(), Options{DataDir: dataDir, Throwaway: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("postmaster %s\n", strings.SplitN(string(b), "\n", 2)[0])
	// The parent kills us long before this; the bound only keeps a helper from outliving a parent
	// that crashed first (and exiting stops the server through the same parent-death signal).
	time.Sleep(time.Minute)
	_ = c.Stop()
	os.Exit(0)
}

func TestParentDeathStopsServer(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(tempDir(t), "data")

	// Once the helper dies, the kernel hands its orphans to the nearest subreaper, or to pid 1,
	// which in a container may never reap them: a postmaster that exited would linger as a zombie
	// and kill(pid, 0) would still succeed. As the subreaper, this process can reap it itself.
	setSubreaper(t, true)
	t.Cleanup(func() { setSubreaper(t, false) })

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	helper := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	helper.Env = append(os.Environ(), helperEnv+"="+dataDir)
	var stderr bytes.Buffer
	helper.Stderr = &stderr
	helper.WaitDelay = 5 * time.Second
	stdout, err := helper.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // after a failure: stop the helper, whose death then stops the server
		_ = helper.Process.Kill()
		_ = helper.Wait()
	})

	pid := 0
	var transcript strings.Builder
	for sc := bufio.NewScanner(stdout); pid == 0 && sc.Scan(); {
		transcript.WriteString(sc.Text() + "\n")
		if s, ok := strings.CutPrefix(sc.Text(), "postmaster "); ok {
			pid, _ = strconv.Atoi(strings.TrimSpace(s))
		}
	}
	if pid <= 0 {
		_ = helper.Process.Kill()
		_ = helper.Wait()
		t.Fatalf("helper reported no postmaster pid\nstdout:\n%s\nstderr:\n%s", transcript.String(), stderr.String())
	}
	t.Cleanup(func() { stopLeftover(t, pid) })
	if !runsPostgresOn(pid, dataDir) {
		t.Fatalf("pid %d is not a postgres on %s", pid, dataDir)
	}

	if err := helper.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = helper.Wait()

	if !waitGone(pid, 15*time.Second) {
		t.Fatalf("postmaster %d still runs 15 s after its parent was killed", pid)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid after the server stopped: %v, want it removed by a clean shutdown", err)
	}
}

func setSubreaper(t *testing.T, on bool) {
	t.Helper()
	var v uintptr
	if on {
		v = 1
	}
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, v, 0); errno != 0 {
		t.Fatalf("prctl(PR_SET_CHILD_SUBREAPER, %d): %v", v, errno)
	}
}

// waitGone waits until process pid no longer exists, reaping it if it became our zombie.
func waitGone(pid int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		var ws syscall.WaitStatus
		_, _ = syscall.Wait4(pid, &ws, syscall.WNOHANG, nil) // ECHILD unless it was handed to us
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stopLeftover shuts down a postmaster that survived a failed test (immediate shutdown), so that
// the run leaves no server behind.
func stopLeftover(t *testing.T, pid int) {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return
	}
	_ = syscall.Kill(pid, syscall.SIGQUIT)
	if !waitGone(pid, 10*time.Second) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		waitGone(pid, 5*time.Second)
	}
	t.Logf("stopped leftover postmaster %d", pid)
}
