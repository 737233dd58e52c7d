package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lessonexport/alertlog"
	"lessonexport/auth"
	"lessonexport/exports"
	"lessonexport/formats"
	"lessonexport/lesson"
	"lessonexport/lessonstore"
	"lessonexport/storage"
)

// The streaming tests run the real server over a real loopback connection,
// with a real lesson store and fakes for what streaming does not use.

const streamUser = "teacher-1"

// noFiles is a Files that holds nothing.
type noFiles struct{}

func (noFiles) Open(string) (*os.File, storage.Info, error) {
	return nil, storage.Info{}, storage.ErrNotFound
}
func (noFiles) Check() error { return nil }

// noExports is an Exports that knows no export.
type noExports struct{}

func (noExports) Create(context.Context, exports.CreateRequest) (*exports.Export, error) {
	return nil, exports.ErrUnavailable
}
func (noExports) Get(context.Context, string, string) (*exports.Export, error) {
	return nil, exports.ErrNotFound
}
func (noExports) List(context.Context, string, int, string) (*exports.Page, error) {
	return &exports.Page{}, nil
}
func (noExports) Cancel(context.Context, string, string) (*exports.Export, error) {
	return nil, exports.ErrNotFound
}
func (noExports) Retry(context.Context, string, string) (*exports.Export, error) {
	return nil, exports.ErrNotFound
}
func (noExports) Check(context.Context) error { return nil }

// syncBuffer is a bytes.Buffer safe for the server's and the test's
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// streamEnv is a running server with one user's lessons.
type streamEnv struct {
	t       *testing.T
	lessons *lessonstore.SQLite
	server  *Server
	token   string
	log     *syncBuffer
}

func newStreamEnv(t *testing.T) *streamEnv {
	t.Helper()
	db, err := lessonstore.OpenSQLite(filepath.Join(t.TempDir(), "lessons.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	signer, err := auth.NewHS256([]byte(strings.Repeat("s", 32)))
	if err != nil {
		t.Fatal(err)
	}
	token, err := signer.Mint(streamUser, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	s := New(Options{
		Lessons: db,
		Files:   noFiles{},
		Exports: noExports{},
		Auth:    signer,
		Logger:  alertlog.New(log, alertlog.Options{Component: "web"}),
	})
	return &streamEnv{t: t, lessons: db, server: s, token: token, log: log}
}

// add stores p as a lesson of the test user and returns its ID.
func (e *streamEnv) add(p *lesson.Plan) string {
	e.t.Helper()
	l := &lessonstore.Lesson{Owner: streamUser, Plan: p, Source: lessonstore.SourceJSON}
	if err := e.lessons.Create(context.Background(), l); err != nil {
		e.t.Fatal(err)
	}
	return l.ID
}

// start serves h on a loopback port until the test ends.
func (e *streamEnv) start(h http.Handler) *httptest.Server {
	e.t.Helper()
	ts := httptest.NewServer(h)
	e.t.Cleanup(ts.Close)
	return ts
}

// request builds an authenticated stream request.
func (e *streamEnv) request(ctx context.Context, base, lessonID, format string) *http.Request {
	e.t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		base+"/api/v1/exports/stream/"+lessonID+"?format="+format, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	return req
}

func examplePlan(t *testing.T) *lesson.Plan {
	t.Helper()
	name := filepath.Join("..", "testdata", "examples", "my-family.json")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := lesson.ParseFile(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// bigPlan is the example with n procedure stages.
func bigPlan(t *testing.T, n int) *lesson.Plan {
	t.Helper()
	p := examplePlan(t)
	p.Procedure = make([]lesson.Stage, n)
	for i := range p.Procedure {
		m := 1 + i%5
		p.Procedure[i] = lesson.Stage{
			Name:        fmt.Sprintf("Stage %d 第%d步", i+1, i+1),
			Minutes:     &m,
			Interaction: "T-Ss",
			Teacher:     fmt.Sprintf("Show picture %d and ask *Who's he?* 教师展示图片并提问。", i+1),
			Students:    "Answer in pairs: **This is my father.** 学生两人一组回答。",
			Purpose:     "Practise the key sentence pattern 练习核心句型。",
		}
	}
	return p
}

// client is an HTTP client that never reuses connections between tests.
func client() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
}

func TestStreamHeaders(t *testing.T) {
	env := newStreamEnv(t)
	ts := env.start(env.server.Handler())
	p := examplePlan(t)
	id := env.add(p)
	magic := map[formats.Format]string{
		formats.Word: "PK\x03\x04", formats.PPTX: "PK\x03\x04", formats.PDF: "%PDF-",
		formats.Markdown: "",
	}
	tests := []struct {
		query string
		want  formats.Format
	}{
		{"word", formats.Word},
		{"docx", formats.Word},
		{"pdf", formats.PDF},
		{"pptx", formats.PPTX},
		{"markdown", formats.Markdown},
		{"MD", formats.Markdown},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			resp, err := client().Do(env.request(context.Background(), ts.URL, id, tc.query))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatalf("read body: %v", err)
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" {
				t.Errorf("Transfer-Encoding = %q; want chunked (body of %d bytes)",
					resp.TransferEncoding, len(body))
			}
			if resp.ContentLength != -1 || resp.Header.Get("Content-Length") != "" {
				t.Errorf("Content-Length %d %q; want none", resp.ContentLength,
					resp.Header.Get("Content-Length"))
			}
			if got := resp.Header.Get("Content-Type"); got != tc.want.ContentType() {
				t.Errorf("Content-Type = %q; want %q", got, tc.want.ContentType())
			}
			wantCD := ContentDisposition(storage.FileName(p.Title, p.Level, "",
				tc.want.Extension()))
			if got := resp.Header.Get("Content-Disposition"); got != wantCD {
				t.Errorf("Content-Disposition = %q; want %q", got, wantCD)
			}
			if got := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(got, "attachment") ||
				!strings.Contains(got, strings.TrimPrefix(tc.want.Extension(), ".")) {
				t.Errorf("Content-Disposition = %q; want an attachment named *%s",
					got, tc.want.Extension())
			}
			if !bytes.HasPrefix(body, []byte(magic[tc.want])) {
				t.Errorf("body starts %q; want %q", body[:min(len(body), 8)], magic[tc.want])
			}
			if tc.want == formats.Markdown && !bytes.Contains(body, []byte(p.Title)) {
				t.Errorf("markdown body lacks the title %q", p.Title)
			}
			// The streamed document is the document the writers make.
			var direct bytes.Buffer
			if err := formats.Write(context.Background(), &direct, tc.want, p); err != nil {
				t.Fatal(err)
			}
			if tc.want == formats.Markdown && !bytes.Equal(body, direct.Bytes()) {
				t.Errorf("streamed markdown differs from formats.Write output")
			}
		})
	}
}

// gate wraps the server's http.ResponseWriter. Once `after` bytes have gone
// through, every further Write waits until the gate is opened or the
// request is cancelled, so that a test can look at the client's side while
// the document is provably unfinished. fail, when set, makes every Write
// past `after` bytes return an error instead.
type gate struct {
	after   int64
	fail    bool
	open    chan struct{}
	reached chan struct{} // closed when a Write first has to wait
	done    chan struct{} // closed when the handler has returned

	once    sync.Once
	written atomic.Int64
}

func newGate(after int64, fail bool) *gate {
	return &gate{after: after, fail: fail, open: make(chan struct{}),
		reached: make(chan struct{}), done: make(chan struct{})}
}

func (g *gate) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(g.done)
		h.ServeHTTP(&gatedWriter{ResponseWriter: w, g: g, ctx: r.Context()}, r)
	})
}

var errGate = errors.New("writer failed on purpose")

type gatedWriter struct {
	http.ResponseWriter
	g   *gate
	ctx context.Context
}

func (w *gatedWriter) Write(p []byte) (int, error) {
	if w.g.written.Load() >= w.g.after {
		w.g.once.Do(func() { close(w.g.reached) })
		if w.g.fail {
			return 0, errGate
		}
		select {
		case <-w.g.open:
		case <-w.ctx.Done():
		}
	}
	n, err := w.ResponseWriter.Write(p)
	w.g.written.Add(int64(n))
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *gatedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush passes flushes through.
func (w *gatedWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// wait waits for ch or fails the test after d.
func wait(t *testing.T, ch <-chan struct{}, d time.Duration, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(d):
		t.Fatalf("timed out after %s waiting for %s", d, what)
	}
}

// TestStreamFirstBytesBeforeEnd checks that the client receives the start
// of a large document while the server is still generating it: the gate
// holds the generator part way through, the client reads its first bytes,
// and only then is the rest allowed through.
func TestStreamFirstBytesBeforeEnd(t *testing.T) {
	for _, f := range []formats.Format{formats.Markdown, formats.Word} {
		t.Run(string(f), func(t *testing.T) {
			env := newStreamEnv(t)
			p := bigPlan(t, 2000)
			id := env.add(p) // sets p.ID, which the documents show
			var full countingDiscard
			if err := formats.Write(context.Background(), &full, f, p); err != nil {
				t.Fatal(err)
			}
			g := newGate(gatePoint(t, f, full.n), false)
			ts := env.start(g.wrap(env.server.Handler()))

			resp, err := client().Do(env.request(context.Background(), ts.URL, id, string(f)))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			first := make([]byte, 4096)
			if _, err := io.ReadFull(resp.Body, first); err != nil {
				t.Fatalf("read the first bytes: %v", err)
			}
			// The gate holds the generator once it is part way through, so
			// the handler cannot have finished, however the two sides are
			// scheduled; a server that produced the whole document before
			// sending would have finished by now.
			select {
			case <-g.done:
				t.Fatal("the handler had finished before the client got the first bytes")
			default:
			}
			wait(t, g.reached, 10*time.Second, "the generator to reach the gate")
			close(g.open)
			rest, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatalf("read the rest: %v", err)
			}
			wait(t, g.done, 30*time.Second, "the handler")
			if got := int64(len(first) + len(rest)); got != full.n {
				t.Errorf("streamed %d bytes; the document has %d", got, full.n)
			}
			if f == formats.Markdown && !bytes.Contains(rest, []byte("Stage 2000 第2000步")) {
				t.Error("the streamed markdown lacks the last stage")
			}
			if !strings.Contains(env.log.String(), alertlog.StreamingCompleted) {
				t.Errorf("no %s log line:\n%s", alertlog.StreamingCompleted, env.log)
			}
		})
	}
}

// gatePoint is where a gate stops a document of size bytes: a quarter of
// the way, and no further than 128 KiB, well past the few KiB net/http
// buffers before it sends.
func gatePoint(t *testing.T, f formats.Format, size int64) int64 {
	t.Helper()
	at := min(size/4, 128<<10)
	if at < 16<<10 {
		t.Fatalf("the generated %s document is only %d bytes; the test needs more", f, size)
	}
	return at
}

type countingDiscard struct{ n int64 }

func (c *countingDiscard) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}

// TestStreamClientDisconnectStops checks that generation stops soon after
// the client goes away: the handler returns well before the document is
// complete and logs the stop as cancelled.
func TestStreamClientDisconnectStops(t *testing.T) {
	for _, f := range []formats.Format{formats.Markdown, formats.Word} {
		t.Run(string(f), func(t *testing.T) {
			env := newStreamEnv(t)
			p := bigPlan(t, 2000)
			id := env.add(p) // sets p.ID, which the documents show
			var full countingDiscard
			if err := formats.Write(context.Background(), &full, f, p); err != nil {
				t.Fatal(err)
			}
			g := newGate(gatePoint(t, f, full.n), false)
			ts := env.start(g.wrap(env.server.Handler()))

			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			resp, err := client().Do(env.request(ctx, ts.URL, id, string(f)))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadFull(resp.Body, make([]byte, 1024)); err != nil {
				t.Fatalf("read the first bytes: %v", err)
			}
			wait(t, g.reached, 10*time.Second, "the generator to reach the gate")
			cancel()
			resp.Body.Close()
			// The gate releases the writer when the request's context ends,
			// which is how the server learns that the client went away.
			stopped := time.Now()
			wait(t, g.done, 10*time.Second, "the handler to stop")
			if d := time.Since(stopped); d > 5*time.Second {
				t.Errorf("the handler took %s to stop after the client left", d)
			}
			if w := g.written.Load(); w >= full.n {
				t.Errorf("the server wrote %d of %d bytes: generation did not stop", w, full.n)
			}
			line := logLine(t, env.log.String(), alertlog.StreamingFailed)
			if !strings.Contains(line, `"error_type":"cancelled"`) {
				t.Errorf("the %s line is not of error_type cancelled: %s",
					alertlog.StreamingFailed, line)
			}
		})
	}
}

// logLine returns the log line of event, failing the test if there is none.
func logLine(t *testing.T, log, event string) string {
	t.Helper()
	for line := range strings.SplitSeq(log, "\n") {
		if strings.Contains(line, `"event":"`+event+`"`) {
			return line
		}
	}
	t.Fatalf("no %s log line in:\n%s", event, log)
	return ""
}

// TestStreamErrorAfterFirstByteAborts checks that a failure once the
// response has begun aborts the connection, so that the client sees an
// error rather than a clean but short document. The failure here is the
// response writer's own; TestStreamGenerationFailure has the generator fail.
func TestStreamErrorAfterFirstByteAborts(t *testing.T) {
	for _, f := range []formats.Format{formats.Markdown, formats.Word} {
		t.Run(string(f), func(t *testing.T) {
			env := newStreamEnv(t)
			p := bigPlan(t, 2000)
			id := env.add(p) // sets p.ID, which the documents show
			var full countingDiscard
			if err := formats.Write(context.Background(), &full, f, p); err != nil {
				t.Fatal(err)
			}
			g := newGate(gatePoint(t, f, full.n), true)
			ts := env.start(g.wrap(env.server.Handler()))

			resp, err := client().Do(env.request(context.Background(), ts.URL, id, string(f)))
			if err != nil {
				t.Fatalf("the response did not start: %v", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			n, err := io.Copy(io.Discard, resp.Body)
			if err == nil {
				t.Fatalf("the body ended cleanly after %d bytes; want an error", n)
			}
			if !errors.Is(err, io.ErrUnexpectedEOF) && !isConnReset(err) {
				t.Errorf("body error = %v; want an unexpected EOF or a reset", err)
			}
			if n == 0 {
				t.Error("no byte arrived before the failure")
			}
			wait(t, g.done, 10*time.Second, "the handler")
			line := logLine(t, env.log.String(), alertlog.StreamingFailed)
			if !strings.Contains(line, `"error_type":"generation"`) ||
				!strings.Contains(line, `"level":"ERROR"`) {
				t.Errorf("the %s line is not an ERROR of error_type generation: %s",
					alertlog.StreamingFailed, line)
			}
		})
	}
}

func isConnReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}

// TestStreamErrorsBeforeFirstByte checks the answers given before any byte
// of a document is sent.
func TestStreamErrorsBeforeFirstByte(t *testing.T) {
	env := newStreamEnv(t)
	ts := env.start(env.server.Handler())
	id := env.add(examplePlan(t))
	tests := []struct {
		name, lesson, format string
		auth                 bool
		status               int
	}{
		{"unknown format", id, "odt", true, http.StatusBadRequest},
		{"no format", id, "", true, http.StatusBadRequest},
		{"unknown lesson", "les_missing", "pdf", true, http.StatusNotFound},
		{"no token", id, "pdf", false, http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := env.request(context.Background(), ts.URL, tc.lesson, tc.format)
			if !tc.auth {
				req.Header.Del("Authorization")
			}
			resp, err := client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status %d; want %d (%s)", resp.StatusCode, tc.status, body)
			}
			if !bytes.Contains(body, []byte(`"error"`)) {
				t.Errorf("body %s is not an error object", body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q; want JSON", ct)
			}
		})
	}
}

// lateFailure is an Options.Write that writes `before` bytes of document and
// then fails as a generator does.
func lateFailure(before int) func(context.Context, io.Writer, formats.Format, *lesson.Plan) error {
	return func(_ context.Context, w io.Writer, _ formats.Format, _ *lesson.Plan) error {
		if before > 0 {
			if _, err := w.Write(bytes.Repeat([]byte("x"), before)); err != nil {
				return err
			}
		}
		return fmt.Errorf("%w: the writer gave up", formats.ErrGeneration)
	}
}

func TestStreamGenerationFailure(t *testing.T) {
	tests := []struct {
		name   string
		before int
		// aborted: the body must end in an error; otherwise a 500 JSON
		// error.
		aborted bool
	}{
		{"before the first byte", 0, false},
		{"after the first byte", 64 << 10, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newStreamEnv(t)
			opts := env.server.opts
			opts.Write = lateFailure(tc.before)
			srv := New(opts)
			ts := env.start(srv.Handler())
			id := env.add(examplePlan(t))

			resp, err := client().Do(env.request(context.Background(), ts.URL, id, "markdown"))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if tc.aborted {
				if err == nil {
					t.Fatalf("the body ended cleanly after %d bytes; want an error", len(body))
				}
				if !errors.Is(err, io.ErrUnexpectedEOF) && !isConnReset(err) {
					t.Errorf("body error = %v; want an unexpected EOF", err)
				}
				if resp.StatusCode != http.StatusOK || len(body) == 0 {
					t.Errorf("status %d, %d bytes; want 200 and a partial body",
						resp.StatusCode, len(body))
				}
			} else {
				if err != nil {
					t.Fatalf("read body: %v", err)
				}
				if resp.StatusCode != http.StatusInternalServerError ||
					!bytes.Contains(body, []byte(`"generation"`)) {
					t.Errorf("status %d body %s; want 500 with code generation",
						resp.StatusCode, body)
				}
			}
			line := logLine(t, env.log.String(), "streaming_export_failed")
			if !strings.Contains(line, `"error_type":"generation"`) {
				t.Errorf("log line %s; want error_type generation", line)
			}
		})
	}
}
