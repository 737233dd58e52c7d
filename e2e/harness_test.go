package e2e_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"lessonexport/activities"
	"lessonexport/alertlog"
	"lessonexport/auth"
	"lessonexport/exports"
	"lessonexport/formats"
	"lessonexport/internal/devtemporal"
	"lessonexport/lesson"
	"lessonexport/lessonstore"
	"lessonexport/metrics"
	"lessonexport/storage"
	"lessonexport/web"
	"lessonexport/worker"
)

const secret = "an end-to-end test secret of at least 32 bytes"

// stack is a running service: Temporal development server, worker, web.
type stack struct {
	t        *testing.T
	base     string
	temporal client.Client
	files    *storage.Local
	auth     *auth.HS256
	registry *prometheus.Registry
	metrics  *metrics.Metrics
	logs     *syncBuffer
}

// stackOptions vary the stack a test runs.
type stackOptions struct {
	maxConcurrent int
	// write replaces the document writer of the worker's activities.
	write func(ctx context.Context, w io.Writer, f formats.Format, p *lesson.Plan) error
	// queueTimeout and slowThreshold go to every export.
	queueTimeout, slowThreshold time.Duration
}

// syncBuffer collects log lines from many goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the log lines written so far, decoded.
func (b *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(b.buf.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not one JSON object: %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// temporalCLI is the Temporal CLI the development server runs from; the
// Makefile builds it and points LESSONEXPORT_TEMPORAL_CLI at it.
func temporalCLI(t *testing.T) string {
	t.Helper()
	cli, err := devtemporal.CLI("..")
	if err != nil {
		if testing.Short() {
			t.Skipf("skipping the end-to-end test in short mode: %v", err)
		}
		t.Fatalf("the end-to-end test needs the Temporal CLI: %v", err)
	}
	return cli
}

func startStack(t *testing.T, opts stackOptions) *stack {
	t.Helper()
	cli := temporalCLI(t)
	logs := &syncBuffer{}
	registry := prometheus.NewRegistry()
	m := metrics.New(registry)
	sdkMetrics, closer := metrics.TemporalHandler(registry)
	t.Cleanup(func() { closer.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := devtemporal.Start(ctx, cli, client.Options{
		Logger:         tlog.NewStructuredLogger(alertlog.New(logs, alertlog.Options{Component: "temporal"})),
		MetricsHandler: sdkMetrics,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	c := srv.Client()

	dir := t.TempDir()
	lessons, err := lessonstore.OpenSQLite(filepath.Join(dir, "lessons.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lessons.Close() })
	files, err := storage.NewLocal(filepath.Join(dir, "files"), storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	w := worker.New(c, &activities.Activities{Lessons: lessons, Files: files, Metrics: m,
		MaxConcurrent: opts.maxConcurrent, Write: opts.write},
		worker.Options{MaxConcurrentExports: opts.maxConcurrent})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
	wctx, stopWatch := context.WithCancel(context.Background())
	watched := make(chan struct{})
	go func() {
		worker.WatchQueue(wctx, c, "default", m.Queued, slog.New(slog.DiscardHandler))
		close(watched)
	}()
	t.Cleanup(func() { stopWatch(); <-watched })

	verifier, err := auth.NewHS256([]byte(secret))
	if err != nil {
		t.Fatal(err)
	}
	s := web.New(web.Options{
		Lessons: lessons, Files: files, Auth: verifier,
		Exports: &exports.Service{Client: c, Namespace: "default",
			QueueTimeout: opts.queueTimeout, SlowThreshold: opts.slowThreshold},
		Registry: registry, Metrics: m,
		Logger: alertlog.New(logs, alertlog.Options{Component: "web"}),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		_ = s.Serve(sctx, ln, &http.Server{ReadHeaderTimeout: 5 * time.Second}, 5*time.Second)
		close(done)
	}()
	t.Cleanup(func() { stop(); <-done })
	return &stack{t: t, base: "http://" + ln.Addr().String(), temporal: c, files: files,
		auth: verifier, registry: registry, metrics: m, logs: logs}
}

func (s *stack) token(user string) string {
	tok, err := s.auth.Mint(user, time.Hour, time.Now())
	if err != nil {
		s.t.Fatal(err)
	}
	return tok
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (s *stack) do(user, method, path, contentType string, body []byte, header ...string) response {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, bytes.NewReader(body))
	if err != nil {
		s.t.Fatal(err)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+s.token(user))
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

func (s *stack) json(user, method, path string, body any, want int, into any, header ...string) {
	s.t.Helper()
	var data []byte
	if body != nil {
		data, _ = json.Marshal(body)
	}
	r := s.do(user, method, path, "application/json", data, header...)
	if r.status != want {
		s.t.Fatalf("%s %s = %d, want %d: %s", method, path, r.status, want, r.body)
	}
	if into != nil {
		if err := json.Unmarshal(r.body, into); err != nil {
			s.t.Fatalf("%s %s: decode %s: %v", method, path, r.body, err)
		}
	}
}

// waitFor polls an export until it leaves queued and processing.
func (s *stack) waitFor(user, id string, limit time.Duration) exports.Export {
	s.t.Helper()
	deadline := time.Now().Add(limit)
	for {
		var e exports.Export
		s.json(user, "GET", "/api/v1/exports/"+id, nil, http.StatusOK, &e)
		if e.Status != exports.StatusQueued && e.Status != exports.StatusProcessing {
			return e
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("export %s still %s/%s after %s", id, e.Status, e.Stage, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// checkDocument checks that data is a well-formed document of the format
// and returns its text.
func checkDocument(t *testing.T, format string, data []byte) string {
	t.Helper()
	switch format {
	case "word", "pptx":
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatalf("%s: not a zip: %v", format, err)
		}
		var text strings.Builder
		for _, f := range zr.File {
			if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatalf("%s: open %s: %v", format, f.Name, err)
			}
			dec := xml.NewDecoder(rc)
			for {
				tok, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("%s: %s is not well-formed XML: %v", format, f.Name, err)
				}
				if cd, ok := tok.(xml.CharData); ok && !strings.HasSuffix(f.Name, ".rels") {
					text.Write(cd)
				}
			}
			rc.Close()
		}
		return text.String()
	case "pdf":
		if !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("pdf: starts with %q", data[:min(len(data), 8)])
		}
		if !bytes.Contains(data[max(0, len(data)-64):], []byte("%%EOF")) {
			t.Fatalf("pdf: no %s at the end", "%%EOF")
		}
		bin, err := exec.LookPath("pdftotext")
		if err != nil {
			t.Log("notice: pdftotext is not installed (Debian package poppler-utils); " +
				"the PDF's text is not checked")
			return ""
		}
		f := filepath.Join(t.TempDir(), "doc.pdf")
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-enc", "UTF-8", f, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		return string(out)
	case "markdown":
		return string(data)
	}
	t.Fatalf("unknown format %s", format)
	return ""
}

// squeeze removes whitespace, since writers break lines where they like.
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func mustJSON(t *testing.T, data []byte, into any) {
	t.Helper()
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}
