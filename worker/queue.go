package worker

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"

	"lessonexport/exports"
)

// WatchQueue sets gauge to the export task queue's backlog, the exports
// waiting for a worker slot, every second until ctx is done. Temporal caches
// the backlog for matching.TaskQueueInfoByBuildIdTTL (five seconds by
// default), so the gauge lags by up to that.
func WatchQueue(ctx context.Context, c client.Client, namespace string, gauge prometheus.Gauge,
	log *slog.Logger) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	failing := false
	for {
		qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		n, err := exports.Backlog(qctx, c, namespace)
		cancel()
		switch {
		case err == nil:
			gauge.Set(float64(n))
			failing = false
		case ctx.Err() == nil && !failing:
			log.Warn("the task queue backlog cannot be read", "event", "queue_unreadable",
				"error_message", err.Error())
			failing = true
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
