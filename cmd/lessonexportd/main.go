// Command lessonexportd runs the lesson export service: the web server, the
// Temporal worker, or, for development, both beside a Temporal development
// server it starts itself.
//
// Usage:
//
//	lessonexportd dev      Temporal development server, worker and web server
//	lessonexportd web      the web server, against LESSONEXPORT_TEMPORAL_ADDRESS
//	lessonexportd worker   a worker, against LESSONEXPORT_TEMPORAL_ADDRESS
//	lessonexportd cleanup [--dry-run]
//	                       remove stored files older than LESSONEXPORT_RETENTION
//
// Settings come from LESSONEXPORT_* environment variables; see the README.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "dev":
		err = runDev(ctx)
	case "web":
		err = runService(ctx, true, false)
	case "worker":
		err = runService(ctx, false, true)
	case "cleanup":
		err = runCleanup(ctx, os.Args[2:])
	case "help", "-h", "--help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "lessonexportd: unknown command %q\n", os.Args[1])
		usage()
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(os.Stderr, "lessonexportd:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage: lessonexportd dev|web|worker|cleanup

  dev      start a Temporal development server, a worker and the web server
  web      run the web server
  worker   run a worker (it also removes files past the retention hourly)
  cleanup  remove stored files older than LESSONEXPORT_RETENTION;
           --dry-run lists them instead`)
	os.Exit(2)
}
