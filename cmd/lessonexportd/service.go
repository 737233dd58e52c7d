package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"golang.org/x/sync/errgroup"

	"lessonexport/activities"
	"lessonexport/auth"
	"lessonexport/config"
	"lessonexport/exports"
	"lessonexport/lessonstore"
	"lessonexport/storage"
	"lessonexport/web"
	"lessonexport/worker"
)

// deps are what the web server and the worker share in one process.
type deps struct {
	cfg      *config.Config
	log      *slog.Logger
	lessons  *lessonstore.SQLite
	files    *storage.Local
	temporal client.Client
	registry *prometheus.Registry
}

func openDeps(cfg *config.Config, component string) (*deps, error) {
	base := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelInfo})).
		With("service", "lessonexport")
	d := &deps{cfg: cfg, log: base.With("component", component)}
	var err error
	if d.lessons, err = lessonstore.OpenSQLite(cfg.LessonDB()); err != nil {
		return nil, err
	}
	if d.files, err = storage.NewLocal(cfg.FilesDir(), storage.Options{MaxFileSize: cfg.MaxFileBytes}); err != nil {
		d.lessons.Close()
		return nil, err
	}
	// A lazy client lets the web server start, and report Temporal as down,
	// while Temporal is unreachable.
	d.temporal, err = client.NewLazyClient(client.Options{
		HostPort:  cfg.TemporalAddress,
		Namespace: cfg.TemporalNamespace,
		Logger:    tlog.NewStructuredLogger(base.With("component", "temporal")),
	})
	if err != nil {
		d.lessons.Close()
		return nil, fmt.Errorf("temporal client: %w", err)
	}
	d.registry = prometheus.NewRegistry()
	d.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(
		collectors.ProcessCollectorOpts{}))
	return d, nil
}

func (d *deps) close() {
	d.temporal.Close()
	d.lessons.Close()
}

// runService runs the web server, the worker, or both, until ctx is done.
func runService(ctx context.Context, withWeb, withWorker bool) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	if err := cfg.EnsureSecret(); err != nil {
		return err
	}
	component := "web"
	if !withWeb {
		component = "worker"
	}
	d, err := openDeps(cfg, component)
	if err != nil {
		return err
	}
	defer d.close()
	return d.serve(ctx, withWeb, withWorker, nil)
}

// serve runs the chosen parts; ready, if set, is called once they listen.
func (d *deps) serve(ctx context.Context, withWeb, withWorker bool, ready func()) error {
	g, ctx := errgroup.WithContext(ctx)
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	if err := exports.EnsureSearchAttributes(sctx, d.temporal, d.cfg.TemporalNamespace); err != nil {
		d.log.Warn("search attributes could not be registered; listing exports may fail",
			"event", "search_attributes_missing", "error_message", err.Error())
	}
	cancel()

	if withWorker {
		w := worker.New(d.temporal, &activities.Activities{Lessons: d.lessons, Files: d.files},
			worker.Options{MaxConcurrentExports: d.cfg.MaxConcurrentExports})
		if err := w.Start(); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
		defer w.Stop()
		d.log.Info("worker started", "event", "worker_started",
			"max_concurrent_exports", d.cfg.MaxConcurrentExports)
		if !withWeb && d.cfg.MetricsAddr != "" {
			ln, err := net.Listen("tcp", d.cfg.MetricsAddr)
			if err != nil {
				return fmt.Errorf("listen on LESSONEXPORT_METRICS_ADDR %s: %w", d.cfg.MetricsAddr, err)
			}
			srv := &http.Server{ReadHeaderTimeout: 10 * time.Second,
				Handler: promhttp.HandlerFor(d.registry, promhttp.HandlerOpts{Registry: d.registry})}
			g.Go(func() error { return serveUntil(ctx, ln, srv, d.cfg.ShutdownTimeout) })
		}
	}
	if withWeb {
		verifier, err := auth.NewHS256([]byte(d.cfg.JWTSecret))
		if err != nil {
			return err
		}
		s := web.New(web.Options{
			Lessons: d.lessons, Files: d.files, Auth: verifier,
			Exports:  &exports.Service{Client: d.temporal, Namespace: d.cfg.TemporalNamespace},
			Registry: d.registry, Logger: d.log, MaxBodyBytes: d.cfg.MaxBodyBytes,
		})
		ln, err := net.Listen("tcp", d.cfg.Addr)
		if err != nil {
			return fmt.Errorf("listen on LESSONEXPORT_ADDR %s: %w", d.cfg.Addr, err)
		}
		srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
		g.Go(func() error { return s.Serve(ctx, ln, srv, d.cfg.ShutdownTimeout) })
		d.log.Info("web server listening", "event", "web_started", "addr", d.cfg.Addr)
	}
	if ready != nil {
		ready()
	}
	g.Go(func() error { <-ctx.Done(); return nil })
	err := g.Wait()
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func serveUntil(ctx context.Context, ln net.Listener, srv *http.Server, timeout time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return srv.Shutdown(sctx)
}
