// Command isms runs the ISMS portal (情報セキュリティ管理ポータル) and its maintenance tasks.
//
//	isms [serve]                 start the portal (the default)
//	isms migrate up|down [N]|version
//	isms user create --login ID --name NAME --role ROLE [--unit CODE]
//	isms audit verify            check the audit trail's hash chain
//	isms seed demo               load the fictional demo town into an empty organisation
//	isms seed bulk --assets N    add N generated assets to the demo town (scale tests, make bench)
//
// Configuration comes from ISMS_* environment variables; see the README.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses: 0 done, 1 failed, 2 wrong usage or configuration.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

const usage = `usage:
  isms [serve]                      start the portal (default)
  isms migrate up|down [N]|version  move or show the database schema
  isms user create --login ID --name NAME --role ROLE [--unit CODE]
                                    add an account; prints its one-time password
  isms audit verify                 check the audit trail's hash chain
  isms seed demo                    load the fictional demo town (みどり町) into an empty organisation
  isms seed bulk --assets N         add N generated assets and a system register to the demo town;
                                    one audit event for the whole load (see isms seed bulk --help)
`

// run is the whole program, with its environment passed in so that tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := loadConfig(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "isms: configuration: %v\n", err)
		return exitUsage
	}
	log := newLogger(cfg, stderr)
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log, stdout)
	case "migrate":
		return migrateCmd(ctx, cfg, log, args, stdout, stderr)
	case "user":
		return userCmd(ctx, cfg, log, args, stdout, stderr)
	case "audit":
		return auditCmd(ctx, cfg, log, args, stdout, stderr)
	case "seed":
		return seedCmd(ctx, cfg, log, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "isms: unknown command %q\n%s", cmd, usage)
	return exitUsage
}
