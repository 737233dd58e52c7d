package metrics

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Statuses of a finished export, the values of the status label.
const (
	Completed = "completed"
	Failed    = "failed"
	Cancelled = "cancelled"
)

// UnknownFormat is the format label of a format the service does not know.
const UnknownFormat = "unknown"

var (
	formatLabels    = []string{"word", "pdf", "pptx", "markdown", UnknownFormat}
	statusLabels    = []string{Completed, Failed, Cancelled}
	errorTypeLabels = []string{"validation", "generation", "storage", "timeout"}
)

// DurationBuckets are the buckets of export_task_duration_seconds.
var DurationBuckets = []float64{1, 5, 10, 20, 30, 60, 120, 300, 600}

// Metrics are the service's own metrics.
type Metrics struct {
	Tasks        *prometheus.CounterVec
	Duration     *prometheus.HistogramVec
	Active       prometheus.Gauge
	Queued       prometheus.Gauge
	StorageBytes *prometheus.GaugeVec
	Errors       *prometheus.CounterVec

	HTTPRequests *prometheus.CounterVec
	HTTPDuration *prometheus.HistogramVec
}

// New creates the metrics and registers them, with the Go and process
// collectors, on reg.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Tasks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "export_tasks_total",
			Help: "Finished exports by status and format.",
		}, []string{"status", "format"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "export_task_duration_seconds",
			Help:    "Time from an export's start to its finish.",
			Buckets: DurationBuckets,
		}, []string{"format"}),
		Active: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "export_tasks_active",
			Help: "Export activities running now.",
		}),
		Queued: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "export_tasks_queued",
			Help: "Exports waiting for a worker slot, from the task queue's backlog.",
		}),
		StorageBytes: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "export_storage_bytes",
			Help: "Export storage in bytes, used and available.",
		}, []string{"type"}),
		Errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "export_errors_total",
			Help: "Export failures by kind.",
		}, []string{"error_type"}),
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests by method, route template and status code.",
		}, []string{"method", "route", "status"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "HTTP request latency by method and route template.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"}),
	}
	reg.MustRegister(m.Tasks, m.Duration, m.Active, m.Queued, m.StorageBytes, m.Errors,
		m.HTTPRequests, m.HTTPDuration,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	// Series that exist from the start, so that rates and ratios are
	// defined before the first export finishes.
	for _, f := range formatLabels {
		for _, s := range statusLabels {
			m.Tasks.WithLabelValues(s, f)
		}
	}
	for _, e := range errorTypeLabels {
		m.Errors.WithLabelValues(e)
	}
	m.StorageBytes.WithLabelValues("used")
	m.StorageBytes.WithLabelValues("available")
	return m
}

// Format returns the format label for a format name: the canonical names
// as they are, and anything else as "unknown", so that invented formats
// cannot add series.
func Format(name string) string {
	switch name {
	case "word", "docx":
		return "word"
	case "pdf":
		return "pdf"
	case "pptx":
		return "pptx"
	case "markdown", "md":
		return "markdown"
	}
	return UnknownFormat
}

// ErrorType returns the error_type label for a failure kind; unknown kinds
// count as generation failures.
func ErrorType(kind string) string {
	for _, e := range errorTypeLabels {
		if kind == e {
			return kind
		}
	}
	return "generation"
}

// Finished records a finished export.
func (m *Metrics) Finished(status, format string, seconds float64, errorType string) {
	if m == nil {
		return
	}
	f := Format(format)
	m.Tasks.WithLabelValues(status, f).Inc()
	m.Duration.WithLabelValues(f).Observe(seconds)
	if status == Failed {
		m.Errors.WithLabelValues(ErrorType(errorType)).Inc()
	}
}

// HTTPRequest records one HTTP request; route is the route template.
func (m *Metrics) HTTPRequest(method, route string, status int, seconds float64) {
	if m == nil {
		return
	}
	switch method {
	case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS":
	default:
		method = "OTHER"
	}
	m.HTTPRequests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.HTTPDuration.WithLabelValues(method, route).Observe(seconds)
}
