// Command starter exports one lesson file through Temporal and waits for it:
// it stores the lesson, starts an ExportWorkflow, prints the export's stage
// as it moves, and copies the finished document where it is told.
//
// Usage:
//
//	starter --format pdf -o lesson.pdf LESSON.json|LESSON.md
//
// It uses the same LESSONEXPORT_* settings as the service, so it must run
// where the worker's data folder is (the embedded default).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"go.temporal.io/sdk/client"

	"lessonexport/config"
	"lessonexport/exports"
	"lessonexport/formats"
	"lessonexport/lesson"
	"lessonexport/lessonstore"
	"lessonexport/storage"
	"lessonexport/workflows"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "starter:", err)
		os.Exit(1)
	}
}

func run() error {
	format := flag.String("format", "pdf", "word, pdf, pptx or markdown")
	out := flag.String("o", "", "where to write the document (default: beside the lesson)")
	user := flag.String("user", "dev-user", "the user the lesson and export belong to")
	timeout := flag.Duration("timeout", 10*time.Minute, "how long to wait for the export")
	flag.Parse()
	if flag.NArg() != 1 {
		return errors.New("usage: starter [--format F] [-o OUT] LESSON")
	}
	f, err := formats.Parse(*format)
	if err != nil {
		return err
	}
	if os.Getenv("LESSONEXPORT_ENV") == "" {
		os.Setenv("LESSONEXPORT_ENV", "development")
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	in := flag.Arg(0)
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	plan, err := lesson.ParseFile(in, data)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if *out == "" {
		*out = strings.TrimSuffix(in, filepath.Ext(in)) + f.Extension()
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	lessons, err := lessonstore.OpenSQLite(cfg.LessonDB())
	if err != nil {
		return err
	}
	defer lessons.Close()
	source := "json"
	if strings.HasSuffix(strings.ToLower(in), ".md") || strings.HasSuffix(strings.ToLower(in), ".markdown") {
		source = "markdown"
	}
	l := &lessonstore.Lesson{Owner: *user, Plan: plan, Source: source}
	if err := lessons.Create(ctx, l); err != nil {
		return err
	}

	c, err := client.Dial(client.Options{HostPort: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace,
		Logger: silent{}})
	if err != nil {
		return fmt.Errorf("connect to Temporal at %s: %w", cfg.TemporalAddress, err)
	}
	defer c.Close()
	svc := &exports.Service{Client: c, Namespace: cfg.TemporalNamespace}
	e, err := svc.Create(ctx, exports.CreateRequest{UserID: *user, LessonID: l.ID, Format: string(f)})
	if err != nil {
		return err
	}
	fmt.Printf("export %s of lesson %s (%s) started\n", e.ID, l.ID, f)

	last := ""
	for {
		e, err = svc.Get(ctx, *user, e.ID)
		if err != nil {
			return err
		}
		if now := e.Status + " " + e.Stage; now != last {
			last = now
			fmt.Printf("%3d%%  %-10s %s\n", e.Progress, e.Stage, e.Message)
		}
		if e.Status == exports.StatusCompleted {
			break
		}
		if e.Status == exports.StatusFailed || e.Status == exports.StatusCancelled {
			msg := e.Message
			if e.Error != nil {
				msg = e.Error.Type + ": " + e.Error.Message
			}
			return fmt.Errorf("export %s %s: %s", e.ID, e.Status, msg)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("gave up waiting for export %s: %w", e.ID, ctx.Err())
		case <-time.After(150 * time.Millisecond):
		}
	}
	var result workflows.Result
	if err := c.GetWorkflow(ctx, e.ID, "").Get(ctx, &result); err != nil {
		return err
	}
	files, err := storage.NewLocal(cfg.FilesDir(), storage.Options{MaxFileSize: cfg.MaxFileBytes})
	if err != nil {
		return err
	}
	src, _, err := files.Open(result.Key)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(*out)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		os.Remove(*out)
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	fmt.Printf("wrote %s (%d bytes, sha256 %s)\n", *out, result.Size, result.SHA256)
	return nil
}

type silent struct{}

func (silent) Debug(string, ...any) {}
func (silent) Info(string, ...any)  {}
func (silent) Warn(string, ...any)  {}
func (silent) Error(string, ...any) {}
