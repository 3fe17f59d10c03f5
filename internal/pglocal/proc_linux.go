package pglocal

import (
	"fmt"
	"os/exec"
	"runtime"
	"syscall"
)

// start runs the server with a parent-death signal: if the portal dies without stopping it (kill -9,
// a crashed test), the kernel sends SIGINT and the server shuts itself down. The signal fires when the
// forking thread exits, so the process is started and waited for on one locked OS thread.
func (c *Cluster) start(cmd *exec.Cmd) error {
	cmd.SysProcAttr.Pdeathsig = syscall.SIGINT
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		c.proc = cmd.Process
		started <- nil
		c.exitErr = cmd.Wait()
		close(c.exited)
	}()
	if err := <-started; err != nil {
		return fmt.Errorf("pglocal: starting postgres: %w", err)
	}
	return nil
}
