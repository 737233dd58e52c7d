package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"lessonexport/alertlog"
	"lessonexport/config"
	"lessonexport/storage"
)

// keepRunning returns a clean-up Keep function that keeps the staging file
// of every export still running, and every file whose export Temporal cannot
// be asked about.
func keepRunning(ctx context.Context, c client.Client) func(key string) bool {
	return func(key string) bool {
		name, ok := strings.CutPrefix(key, "staging/")
		if !ok {
			return false
		}
		id, _, _ := strings.Cut(name, ".")
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		resp, err := c.DescribeWorkflowExecution(qctx, id, "")
		var notFound *serviceerror.NotFound
		if errors.As(err, &notFound) {
			return false
		}
		if err != nil {
			return true
		}
		return resp.GetWorkflowExecutionInfo().GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING
	}
}

// janitor removes stored files past the retention period, and temporary
// files a killed worker left, at start and then every hour.
func janitor(ctx context.Context, files *storage.Local, c client.Client, retention time.Duration,
	log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		rep, err := files.Cleanup(ctx, storage.CleanupOptions{OlderThan: retention,
			Keep: keepRunning(ctx, c)})
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("stored files could not be cleaned up", "event", alertlog.FilesCleaned,
				alertlog.ErrorMessage, err.Error())
		case len(rep.Removed) > 0 || rep.StaleTemp > 0:
			log.Info("old stored files removed", "event", alertlog.FilesCleaned,
				"files", len(rep.Removed), alertlog.SizeBytes, rep.RemovedBytes,
				"temporary_files", rep.StaleTemp, "kept", len(rep.Kept))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runCleanup is the cleanup command: it removes (or with --dry-run lists)
// the stored files older than the retention period.
func runCleanup(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("cleanup", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "list what would be removed, remove nothing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	files, err := storage.NewLocal(cfg.FilesDir(), storage.Options{MaxFileSize: cfg.MaxFileBytes})
	if err != nil {
		return err
	}
	c, err := client.Dial(client.Options{HostPort: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace,
		Logger: quietLogger{}})
	if err != nil {
		return fmt.Errorf("connect to Temporal at %s (needed to spare running exports): %w",
			cfg.TemporalAddress, err)
	}
	defer c.Close()
	rep, err := files.Cleanup(ctx, storage.CleanupOptions{OlderThan: cfg.Retention, DryRun: *dry,
		Keep: keepRunning(ctx, c)})
	verb := "removed"
	if *dry {
		verb = "would remove"
	}
	for _, f := range rep.Removed {
		fmt.Fprintf(os.Stdout, "%s %s (%d bytes, %s)\n", verb, f.Key, f.Size, f.ModTime.Format(time.RFC3339))
	}
	fmt.Fprintf(os.Stdout, "%s %d files, %d bytes; kept %d of running exports; %d temporary files\n",
		verb, len(rep.Removed), rep.RemovedBytes, len(rep.Kept), rep.StaleTemp)
	return err
}
