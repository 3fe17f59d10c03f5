//go:build !linux

package pglocal

import (
	"fmt"
	"os/exec"
)

// start runs the server. Without Linux's parent-death signal, a portal killed with -9 leaves the
// server running; the next start finds its live pid in the lock file and refuses to share it.
func (c *Cluster) start(cmd *exec.Cmd) error {
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pglocal: starting postgres: %w", err)
	}
	c.proc = cmd.Process
	go func() {
		c.exitErr = cmd.Wait()
		close(c.exited)
	}()
	return nil
}
