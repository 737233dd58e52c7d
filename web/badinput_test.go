package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"

	"lessonexport/activities"
	"lessonexport/auth"
	"lessonexport/exports"
	"lessonexport/internal/devtemporal"
	"lessonexport/lessonstore"
	"lessonexport/metrics"
	"lessonexport/storage"
	"lessonexport/web"
	"lessonexport/worker"

	"github.com/prometheus/client_golang/prometheus"
)

const testSecret = "a web test secret of at least thirty-two bytes"

// live is the web server with a real lesson store, real storage, and a
// Temporal development server with a worker.
type live struct {
	t    *testing.T
	base string
	auth *auth.HS256
	// stop ends the shared service and its Temporal server.
	stop func()
}

var (
	liveOnce sync.Once
	liveErr  error
	shared   *live
)

func temporalCLI(t *testing.T) string {
	t.Helper()
	cli, err := devtemporal.CLI("..")
	if err != nil {
		if testing.Short() {
			t.Skipf("skipping a test against Temporal in short mode: %v", err)
		}
		t.Fatalf("this test needs the Temporal CLI: %v", err)
	}
	return cli
}

// startLive starts the service in this process once per test binary and
// returns it; the processes stop when the test binary ends.
func startLive(t *testing.T) *live {
	t.Helper()
	cli := temporalCLI(t)
	liveOnce.Do(func() { shared, liveErr = newLive(cli) })
	if liveErr != nil {
		t.Fatal(liveErr)
	}
	return &live{t: t, base: shared.base, auth: shared.auth}
}

func newLive(cli string) (*live, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := devtemporal.Start(ctx, cli, client.Options{
		Logger: tlog.NewStructuredLogger(slog.New(slog.DiscardHandler)),
	})
	if err != nil {
		return nil, err
	}
	c := srv.Client()
	dir, err := os.MkdirTemp("", "web-live-")
	if err != nil {
		return nil, err
	}
	lessons, err := lessonstore.OpenSQLite(filepath.Join(dir, "lessons.db"))
	if err != nil {
		return nil, err
	}
	files, err := storage.NewLocal(filepath.Join(dir, "files"), storage.Options{})
	if err != nil {
		return nil, err
	}
	m := metrics.New(prometheus.NewRegistry())
	w := worker.New(c, &activities.Activities{Lessons: lessons, Files: files, Metrics: m,
		MaxConcurrent: 4}, worker.Options{MaxConcurrentExports: 4})
	if err := w.Start(); err != nil {
		return nil, err
	}
	verifier, err := auth.NewHS256([]byte(testSecret))
	if err != nil {
		return nil, err
	}
	s := web.New(web.Options{Lessons: lessons, Files: files, Auth: verifier, Metrics: m,
		Exports: &exports.Service{Client: c, Namespace: "default"},
		Logger:  slog.New(slog.DiscardHandler), MaxBodyBytes: 1 << 20})
	wl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	sctx, stopServe := context.WithCancel(context.Background())
	served := make(chan struct{})
	go func() {
		_ = s.Serve(sctx, wl, &http.Server{ReadHeaderTimeout: 5 * time.Second}, time.Second)
		close(served)
	}()
	stop := func() {
		stopServe()
		<-served
		w.Stop()
		lessons.Close()
		_ = srv.Stop()
		os.RemoveAll(dir)
	}
	return &live{base: "http://" + wl.Addr().String(), auth: verifier, stop: stop}, nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	// The Temporal development server is a process of its own: it outlives
	// this one unless it is stopped here.
	if shared != nil && shared.stop != nil {
		shared.stop()
	}
	os.Exit(code)
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (l *live) token(user string) string {
	tok, err := l.auth.Mint(user, time.Hour, time.Now())
	if err != nil {
		l.t.Fatal(err)
	}
	return tok
}

// raw sends a request with the Authorization header given as is.
func (l *live) raw(authz, method, path, contentType string, body io.Reader) reply {
	l.t.Helper()
	req, err := http.NewRequest(method, l.base+path, body)
	if err != nil {
		l.t.Fatal(err)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		l.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		l.t.Errorf("%s %s = %d: %.300s", method, path, resp.StatusCode, data)
	}
	return reply{resp.StatusCode, resp.Header, data}
}

func (l *live) do(user, method, path, contentType string, body []byte) reply {
	l.t.Helper()
	return l.raw("Bearer "+l.token(user), method, path, contentType, bytes.NewReader(body))
}

type apiErr struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Details []struct {
			Path    string `json:"path"`
			Message string `json:"message"`
		} `json:"details"`
	} `json:"error"`
}

func decodeErr(t *testing.T, r reply) apiErr {
	t.Helper()
	var e apiErr
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("status %d: not an error body: %.300s", r.status, r.body)
	}
	return e
}

func (l *live) createLesson(user, contentType string, body []byte) string {
	l.t.Helper()
	r := l.do(user, "POST", "/api/v1/lessons", contentType, body)
	if r.status != http.StatusCreated {
		l.t.Fatalf("create lesson = %d: %.400s", r.status, r.body)
	}
	var les struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(r.body, &les)
	return les.ID
}

func (l *live) export(user, lessonID, format string) exports.Export {
	l.t.Helper()
	body, _ := json.Marshal(map[string]string{"lesson_id": lessonID, "format": format})
	r := l.do(user, "POST", "/api/v1/exports", "application/json", body)
	if r.status != http.StatusAccepted {
		l.t.Fatalf("create export = %d: %s", r.status, r.body)
	}
	var e exports.Export
	_ = json.Unmarshal(r.body, &e)
	return e
}

func (l *live) wait(user, id string) exports.Export {
	l.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var e exports.Export
		r := l.do(user, "GET", "/api/v1/exports/"+id, "", nil)
		if r.status != http.StatusOK {
			l.t.Fatalf("get export %s = %d", id, r.status)
		}
		_ = json.Unmarshal(r.body, &e)
		if e.Status != exports.StatusQueued && e.Status != exports.StatusProcessing {
			return e
		}
		if time.Now().After(deadline) {
			l.t.Fatalf("export %s still %s", id, e.Status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// wellFormed returns an error unless data is a whole document of the format
// whose XML parts are well-formed.
func wellFormed(format string, data []byte) error {
	switch format {
	case "word", "pptx":
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return fmt.Errorf("not a zip: %w", err)
		}
		for _, f := range zr.File {
			if !strings.HasSuffix(f.Name, ".xml") && !strings.HasSuffix(f.Name, ".rels") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return err
			}
			dec := xml.NewDecoder(rc)
			for {
				_, err := dec.Token()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					rc.Close()
					return fmt.Errorf("%s: %w", f.Name, err)
				}
			}
			rc.Close()
		}
	case "pdf":
		if !bytes.HasPrefix(data, []byte("%PDF-")) ||
			!bytes.Contains(data[max(0, len(data)-64):], []byte("%%EOF")) {
			return errors.New("not a whole PDF")
		}
	case "markdown":
		if !utf8.Valid(data) {
			return errors.New("markdown is not UTF-8")
		}
	}
	return nil
}

// checkDisposition asserts an RFC 6266 header with a safe ASCII filename
// and a filename*=UTF-8” form.
func checkDisposition(t *testing.T, h string) {
	t.Helper()
	if !strings.HasPrefix(h, `attachment; filename="`) || !strings.Contains(h, `; filename*=UTF-8''`) {
		t.Fatalf("Content-Disposition %q", h)
	}
	ascii := h[len(`attachment; filename="`):strings.Index(h, `"; filename*=`)]
	for _, r := range ascii {
		if r < 0x20 || r >= 0x7f || strings.ContainsRune(`"\/;,`, r) {
			t.Fatalf("Content-Disposition %q: unsafe %q in the ASCII filename", h, r)
		}
	}
	if strings.Contains(ascii, "..") || ascii == "" {
		t.Fatalf("Content-Disposition %q: ASCII filename %q", h, ascii)
	}
	for _, r := range h[strings.Index(h, "filename*="):] {
		if r < 0x21 || r >= 0x7f {
			t.Fatalf("Content-Disposition %q: a raw %q in filename*", h, r)
		}
	}
}

func TestMalformedJSONIsA400(t *testing.T) {
	l := startLive(t)
	for _, body := range []string{`{`, `{"title": "x",}`, `[1,2]`, `"just a string"`, `nul`,
		`{"title": "a"} {"title": "b"}`, "\xff\xfe{}", ``} {
		r := l.do("alice", "POST", "/api/v1/lessons", "application/json", []byte(body))
		if r.status != http.StatusBadRequest {
			t.Errorf("body %q = %d %s", body, r.status, r.body)
			continue
		}
		decodeErr(t, r)
	}
	for _, body := range []string{`{`, `[]`, `{"lesson_id": 5}`, `null`, `{"format": ["pdf"]}`} {
		r := l.do("alice", "POST", "/api/v1/exports", "application/json", []byte(body))
		if r.status != http.StatusBadRequest {
			t.Errorf("export body %q = %d %s", body, r.status, r.body)
			continue
		}
		decodeErr(t, r)
	}
}

func TestSchemaViolationsListEveryProblemWithItsPath(t *testing.T) {
	l := startLive(t)
	cases := []struct {
		body  string
		paths []string
	}{
		{`{"title": "", "duration_minutes": 0, "class_size": "big"}`,
			[]string{"/title", "/duration_minutes", "/class_size"}},
		{`{"title": 7, "date": "yesterday", "vocabulary": [{"meaning": "x"}]}`,
			[]string{"/title", "/date", "/vocabulary/0"}},
		{`{"subject": "no title", "procedure": [{"minutes": -1}]}`,
			[]string{"/procedure/0"}},
		{`{"title": "x", "unknown_field": 1, "tags": "not a list"}`,
			[]string{"/tags"}},
	}
	for _, tc := range cases {
		r := l.do("alice", "POST", "/api/v1/lessons", "application/json", []byte(tc.body))
		if r.status != http.StatusBadRequest {
			t.Errorf("%s = %d %s", tc.body, r.status, r.body)
			continue
		}
		e := decodeErr(t, r)
		if len(e.Error.Details) < len(tc.paths) {
			t.Errorf("%s: %d problems listed, want at least %d: %s", tc.body,
				len(e.Error.Details), len(tc.paths), r.body)
		}
		for _, p := range tc.paths {
			found := false
			for _, d := range e.Error.Details {
				found = found || strings.HasPrefix(d.Path, p) && d.Message != ""
			}
			if !found {
				t.Errorf("%s: no problem at %s: %s", tc.body, p, r.body)
			}
		}
	}
}

func TestBodiesOverTheLimitAre413(t *testing.T) {
	l := startLive(t)
	big := bytes.Repeat([]byte("a"), 1<<20+1)
	jsonBig := []byte(`{"title": "` + string(big) + `"}`)
	for _, tc := range []struct {
		path, ct string
		body     []byte
	}{
		{"/api/v1/lessons", "application/json", jsonBig},
		{"/api/v1/lessons", "text/markdown", append([]byte("# T\n\n"), big...)},
		{"/api/v1/exports", "application/json", jsonBig},
	} {
		// Once with a Content-Length, once chunked.
		for _, chunked := range []bool{false, true} {
			var body io.Reader = bytes.NewReader(tc.body)
			if chunked {
				body = io.MultiReader(bytes.NewReader(tc.body))
			}
			r := l.raw("Bearer "+l.token("alice"), "POST", tc.path, tc.ct, body)
			if r.status != http.StatusRequestEntityTooLarge {
				t.Errorf("%s %s chunked=%v = %d %.200s", tc.path, tc.ct, chunked, r.status, r.body)
				continue
			}
			decodeErr(t, r)
		}
	}
}

func TestUnknownFormatsAre400NamingTheAcceptedOnes(t *testing.T) {
	l := startLive(t)
	id := l.createLesson("alice", "application/json", []byte(`{"title": "Formats"}`))
	for _, f := range []string{"", "xyz", "p df", "odt", "pdfx", "../../etc/passwd", "docx\x00", "词"} {
		body, _ := json.Marshal(map[string]string{"lesson_id": id, "format": f})
		for _, r := range []reply{
			l.do("alice", "POST", "/api/v1/exports", "application/json", body),
			l.do("alice", "GET", "/api/v1/exports/stream/"+id+"?format="+urlQuery(f), "", nil),
		} {
			if r.status != http.StatusBadRequest {
				t.Errorf("format %q = %d %.200s", f, r.status, r.body)
				continue
			}
			e := decodeErr(t, r)
			for _, name := range []string{"word", "pdf", "pptx", "markdown"} {
				if !strings.Contains(e.Error.Message, name) {
					t.Errorf("format %q: the message %q does not name %s", f, e.Error.Message, name)
				}
			}
		}
	}
}

func urlQuery(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// TestInvalidAndUnknownIDsAre404 tries IDs of every shape on every route
// that takes one.
func TestInvalidAndUnknownIDsAre404(t *testing.T) {
	l := startLive(t)
	ids := []string{"les_0000000000000000", "exp_00000000000000000000000000000000", "nope",
		"exp_zz", "%2e%2e", "..%2F..%2Fetc", "exp_" + strings.Repeat("a", 300), "%00",
		"les_%E4%BD%A0", "exp_0123456789abcdef0123456789ABCDEF"}
	for _, id := range ids {
		for _, rt := range []struct{ method, path string }{
			{"GET", "/api/v1/lessons/" + id},
			{"PUT", "/api/v1/lessons/" + id},
			{"DELETE", "/api/v1/lessons/" + id},
			{"GET", "/api/v1/exports/" + id},
			{"GET", "/api/v1/exports/" + id + "/download"},
			{"GET", "/api/v1/exports/" + id + "/events"},
			{"POST", "/api/v1/exports/" + id + "/cancel"},
			{"POST", "/api/v1/exports/" + id + "/retry"},
			{"GET", "/api/v1/exports/stream/" + id + "?format=pdf"},
		} {
			r := l.do("alice", rt.method, rt.path, "application/json", []byte(`{"title":"x"}`))
			if r.status != http.StatusNotFound {
				t.Errorf("%s %s = %d %.200s", rt.method, rt.path, r.status, r.body)
				continue
			}
			decodeErr(t, r)
		}
		body, _ := json.Marshal(map[string]string{"lesson_id": id, "format": "pdf"})
		if r := l.do("alice", "POST", "/api/v1/exports", "application/json", body); r.status !=
			http.StatusNotFound {
			t.Errorf("export of lesson %q = %d %s", id, r.status, r.body)
		}
	}
}

// hostile are lessons whose text tries every character and shape that can
// break a document; each must export to every format as a whole document.
var hostile = []struct{ name, contentType, body string }{
	{"forbidden XML characters", "application/json",
		`{"title": "Bad\u000bchars\u0000 \uffff\ufffe end", "objectives": ["tab\u000b NUL\u0000 ` +
			`\u001f and \ud83d\ude00 emoji 😀🎉 𠀋𝄞"], "teacher": "\u0007bell"}`},
	{"emoji and astral characters", "text/markdown",
		"# 😀 Emoji lesson 𠀋\n\n## Objectives\n\n- 🎉 party 👨‍👩‍👧‍👦 family 🇨🇳 flag\n- 𝄞 music 𝕏\n"},
	{"fullwidth punctuation", "text/markdown",
		"# 全角标点：测试！\n\n## 教学目标\n\n- 学生能够说出“这是我的……”。（重点）【难点】《课本》～＃＄％\n"},
	{"very long words and URLs", "application/json",
		`{"title": "` + strings.Repeat("Supercalifragilistic", 14) + `", "objectives": ["` +
			strings.Repeat("Pneumonoultramicroscopic", 200) + `"], "materials": ["https://example.com/` +
			strings.Repeat("very/long/path/", 200) + `?q=` + strings.Repeat("x", 2000) + `", "` +
			strings.Repeat("汉", 3000) + `"]}`},
	{"multi-line table cells", "text/markdown",
		"# Tables\n\n## Procedure\n\n| Stage | Teacher | Students |\n|---|---|---|\n" +
			"| Warm-up<br>two lines | line one<br/>line two<br>line three | a \\| pipe |\n" +
			"| 2 | `code | cell` | **bold**<br>*it* |\n| only one cell |\n"},
	{"path traversal title", "application/json", `{"title": "../../../etc/passwd", "level": "../.."}`},
	{"header injection title", "application/json",
		`{"title": "evil\r\nSet-Cookie: a=b; \"quoted\", comma\\back", "level": "A1\r\nX: y"}`},
	{"Chinese title", "application/json", `{"title": "第三单元 我的家人", "level": "七年级上册"}`},
	{"title only", "application/json", `{"title": "Just a title"}`},
	{"title only markdown", "text/markdown", "# Just a title\n"},
	{"deeply nested Markdown", "text/markdown",
		"# Nested\n\n## Objectives\n\n" + strings.Repeat("> ", 200) + "deep quote\n\n" +
			nestedList(60) + "\n" + strings.Repeat("*", 500) + "x" + strings.Repeat("*", 500) + "\n" +
			strings.Repeat("[", 300) + "link" + strings.Repeat("]", 300) + "\n"},
}

func nestedList(depth int) string {
	var b strings.Builder
	for i := range depth {
		b.WriteString(strings.Repeat("  ", i) + "- level " + fmt.Sprint(i) + "\n")
	}
	return b.String()
}

// TestHostileTextExportsAsWholeDocuments exports each hostile lesson to
// every format through Temporal and streams it, and checks each file and
// its Content-Disposition.
func TestHostileTextExportsAsWholeDocuments(t *testing.T) {
	l := startLive(t)
	type job struct {
		name, format string
		e            exports.Export
	}
	var jobs []job
	for _, h := range hostile {
		id := l.createLesson("alice", h.contentType, []byte(h.body))
		for _, f := range []string{"word", "pdf", "pptx", "markdown"} {
			jobs = append(jobs, job{h.name, f, l.export("alice", id, f)})
			r := l.do("alice", "GET", "/api/v1/exports/stream/"+id+"?format="+f, "", nil)
			if r.status != http.StatusOK {
				t.Errorf("%s: stream %s = %d %.200s", h.name, f, r.status, r.body)
				continue
			}
			checkDisposition(t, r.header.Get("Content-Disposition"))
			if err := wellFormed(f, r.body); err != nil {
				t.Errorf("%s: stream %s: %v", h.name, f, err)
			}
		}
	}
	for _, j := range jobs {
		e := l.wait("alice", j.e.ID)
		if e.Status != exports.StatusCompleted {
			t.Errorf("%s: %s export ended %s %+v", j.name, j.format, e.Status, e.Error)
			continue
		}
		r := l.do("alice", "GET", e.DownloadURL, "", nil)
		if r.status != http.StatusOK || int64(len(r.body)) != e.FileSize {
			t.Errorf("%s: download %s = %d, %d bytes of %d", j.name, j.format, r.status,
				len(r.body), e.FileSize)
			continue
		}
		checkDisposition(t, r.header.Get("Content-Disposition"))
		if strings.ContainsAny(e.FileName, "/\\\r\n\x00") || strings.Contains(e.FileName, "..") {
			t.Errorf("%s: file name %q", j.name, e.FileName)
		}
		if err := wellFormed(j.format, r.body); err != nil {
			t.Errorf("%s: %s export: %v", j.name, j.format, err)
		}
		if j.name == "Chinese title" {
			h := r.header.Get("Content-Disposition")
			if !strings.Contains(h, "%E6%88%91%E7%9A%84%E5%AE%B6%E4%BA%BA") {
				t.Errorf("Chinese title: filename* lacks 我的家人: %q", h)
			}
		}
	}
}

// TestEmptyMarkdownIsAClear400 sends Markdown without a title.
func TestEmptyMarkdownIsAClear400(t *testing.T) {
	l := startLive(t)
	for _, body := range []string{"", "\n\n", "   ", "\ufeff", "---\n---\n", "no heading at all"} {
		r := l.do("alice", "POST", "/api/v1/lessons", "text/markdown", []byte(body))
		switch r.status {
		case http.StatusCreated:
			// A lesson was made: it must export.
			var les struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(r.body, &les)
			s := l.do("alice", "GET", "/api/v1/exports/stream/"+les.ID+"?format=word", "", nil)
			if s.status != http.StatusOK || wellFormed("word", s.body) != nil {
				t.Errorf("markdown %q made a lesson that does not export: %d", body, s.status)
			}
		case http.StatusBadRequest:
			if e := decodeErr(t, r); len(e.Error.Details) == 0 {
				t.Errorf("markdown %q: a 400 without details: %s", body, r.body)
			}
		default:
			t.Errorf("markdown %q = %d %s", body, r.status, r.body)
		}
	}
	if r := l.do("alice", "POST", "/api/v1/lessons", "text/plain", []byte("# T")); r.status !=
		http.StatusUnsupportedMediaType {
		t.Errorf("text/plain = %d", r.status)
	}
}
