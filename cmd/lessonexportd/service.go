package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"golang.org/x/sync/errgroup"

	"lessonexport/activities"
	"lessonexport/alertlog"
	"lessonexport/auth"
	"lessonexport/config"
	"lessonexport/exports"
	"lessonexport/lessonstore"
	"lessonexport/metrics"
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
	metrics  *metrics.Metrics
	closers  []io.Closer
}

func openDeps(cfg *config.Config, component string) (*deps, error) {
	d := &deps{cfg: cfg, log: alertlog.New(os.Stdout, alertlog.Options{Component: component})}
	d.registry = prometheus.NewRegistry()
	d.metrics = metrics.New(d.registry)
	sdkMetrics, closer := metrics.TemporalHandler(d.registry)
	d.closers = append(d.closers, closer)
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
		Logger: tlog.NewStructuredLogger(alertlog.New(os.Stdout,
			alertlog.Options{Component: "temporal"})),
		MetricsHandler: sdkMetrics,
	})
	if err != nil {
		d.lessons.Close()
		return nil, fmt.Errorf("temporal client: %w", err)
	}
	return d, nil
}

func (d *deps) close() {
	d.temporal.Close()
	d.lessons.Close()
	for _, c := range d.closers {
		_ = c.Close()
	}
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
		acts := &activities.Activities{Lessons: d.lessons, Files: d.files, Metrics: d.metrics,
			MaxConcurrent: d.cfg.MaxConcurrentExports}
		w := worker.New(d.temporal, acts,
			worker.Options{MaxConcurrentExports: d.cfg.MaxConcurrentExports})
		if err := w.Start(); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
		defer w.Stop()
		d.log.Info("worker started", "event", "worker_started",
			alertlog.Max, d.cfg.MaxConcurrentExports)
		g.Go(func() error {
			worker.WatchQueue(ctx, d.temporal, d.cfg.TemporalNamespace, d.metrics.Queued, d.log)
			return nil
		})
		g.Go(func() error {
			janitor(ctx, d.files, d.temporal, d.cfg.Retention, d.log)
			return nil
		})
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
			Exports: &exports.Service{Client: d.temporal, Namespace: d.cfg.TemporalNamespace,
				QueueTimeout: d.cfg.QueueTimeout, SlowThreshold: d.cfg.SlowExportThreshold,
				MaxQueued: d.cfg.MaxQueuedExports},
			Registry: d.registry, Metrics: d.metrics, Logger: d.log,
			MaxBodyBytes: d.cfg.MaxBodyBytes, MaxDocumentBytes: d.cfg.MaxFileBytes,
		})
		ln, err := net.Listen("tcp", d.cfg.Addr)
		if err != nil {
			return fmt.Errorf("listen on LESSONEXPORT_ADDR %s: %w", d.cfg.Addr, err)
		}
		srv := &http.Server{ReadHeaderTimeout: 10 * time.Second}
		g.Go(func() error { return s.Serve(ctx, ln, srv, d.cfg.ShutdownTimeout) })
		d.log.Info("web server listening", "event", "web_started", "addr", d.cfg.Addr)
	}
	g.Go(func() error {
		watchStorage(ctx, d.files, d.metrics, d.log)
		return nil
	})
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

// watchStorage keeps the storage gauges current and warns when the disk is
// nearly full.
func watchStorage(ctx context.Context, files *storage.Local, m *metrics.Metrics, log *slog.Logger) {
	const lowFraction = 0.1
	t := time.NewTicker(30 * time.Second)
	defer t.Stop()
	warned := false
	for {
		used, avail, err := files.Usage()
		if err == nil {
			m.StorageBytes.WithLabelValues("used").Set(float64(used))
			m.StorageBytes.WithLabelValues("available").Set(float64(avail))
			low := used+avail > 0 && float64(avail) < lowFraction*float64(used+avail)
			if low && !warned {
				log.Warn("export storage is nearly full", "event", alertlog.DiskSpaceLow,
					"used_bytes", used, "available_bytes", avail)
			}
			warned = low
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
