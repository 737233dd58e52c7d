package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lessonexport/auth"
	"lessonexport/exports"
	"lessonexport/lessonstore"
	"lessonexport/storage"
	"lessonexport/web"
)

// fakeExports accepts every export and knows none, so that the handlers can
// be fuzzed without Temporal.
type fakeExports struct{}

func (fakeExports) Create(_ context.Context, r exports.CreateRequest) (*exports.Export, error) {
	return &exports.Export{ID: exports.NewID(), LessonID: r.LessonID, Format: r.Format,
		Status: exports.StatusQueued}, nil
}
func (fakeExports) Get(context.Context, string, string) (*exports.Export, error) {
	return nil, exports.ErrNotFound
}
func (fakeExports) List(context.Context, string, int, string) (*exports.Page, error) {
	return &exports.Page{Exports: []*exports.Export{}}, nil
}
func (fakeExports) Cancel(context.Context, string, string) (*exports.Export, error) {
	return nil, exports.ErrNotFound
}
func (fakeExports) Retry(context.Context, string, string) (*exports.Export, error) {
	return nil, exports.ErrNotFound
}
func (fakeExports) Check(context.Context) error { return nil }

type fuzzServer struct {
	h     http.Handler
	token string
}

func newFuzzServer(f *testing.F) *fuzzServer {
	f.Helper()
	dir := f.TempDir()
	lessons, err := lessonstore.OpenSQLite(filepath.Join(dir, "lessons.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { lessons.Close() })
	files, err := storage.NewLocal(filepath.Join(dir, "files"), storage.Options{})
	if err != nil {
		f.Fatal(err)
	}
	verifier, err := auth.NewHS256([]byte(testSecret))
	if err != nil {
		f.Fatal(err)
	}
	tok, err := verifier.Mint("fuzzer", 24*time.Hour, time.Now())
	if err != nil {
		f.Fatal(err)
	}
	s := web.New(web.Options{Lessons: lessons, Files: files, Auth: verifier,
		Exports: fakeExports{}, MaxBodyBytes: 256 << 10})
	return &fuzzServer{h: s.Handler(), token: tok}
}

func (s *fuzzServer) serve(method, target, contentType string, body []byte, authz string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "http://127.0.0.1/", bytes.NewReader(body))
	req.URL.Path, req.URL.RawQuery, _ = strings.Cut(target, "?")
	req.RequestURI = target
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	rec := httptest.NewRecorder()
	s.h.ServeHTTP(rec, req)
	return rec
}

// checkErrorBody fails unless a 4xx or 5xx response is the API's error body
// and never a 500.
func checkErrorBody(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("%s = %d: %.300s", what, rec.Code, rec.Body.Bytes())
	}
	if rec.Code < 400 {
		return
	}
	var e apiErr
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error.Code == "" {
		t.Fatalf("%s = %d without an error body: %.300s", what, rec.Code, rec.Body.Bytes())
	}
}

var fuzzFormats = []string{"word", "pdf", "pptx", "markdown"}

// FuzzImportAndStream posts any body as a JSON or Markdown lesson: the
// answer is a lesson or a clear 4xx, and a lesson streams as a whole,
// well-formed document.
func FuzzImportAndStream(f *testing.F) {
	s := newFuzzServer(f)
	for _, h := range hostile {
		f.Add([]byte(h.body), h.contentType == "text/markdown", uint8(0))
	}
	for _, name := range []string{"my-family.json", "weather-forecast.md"} {
		if data, err := os.ReadFile(filepath.Join("..", "testdata", "examples", name)); err == nil {
			f.Add(data, strings.HasSuffix(name, ".md"), uint8(1))
		}
	}
	f.Add([]byte(`{"title":"x","procedure":[{"name":"a","steps":[{"name":"b"}]}]}`), false, uint8(2))
	f.Add([]byte("# T\n\n| a | b |\n|---|---|\n| 1<br>2 | \x0b |\n"), true, uint8(3))
	f.Fuzz(func(t *testing.T, body []byte, markdown bool, which uint8) {
		ct := "application/json"
		if markdown {
			ct = "text/markdown"
		}
		rec := s.serve("POST", "/api/v1/lessons", ct, body, "Bearer "+s.token)
		checkErrorBody(t, "create lesson", rec)
		if rec.Code != http.StatusCreated {
			if rec.Code != http.StatusBadRequest && rec.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("create lesson = %d: %s", rec.Code, rec.Body.Bytes())
			}
			return
		}
		var les struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &les); err != nil || les.ID == "" {
			t.Fatalf("created lesson body %s", rec.Body.Bytes())
		}
		format := fuzzFormats[int(which)%len(fuzzFormats)]
		out := s.serve("GET", "/api/v1/exports/stream/"+les.ID+"?format="+format, "", nil,
			"Bearer "+s.token)
		if out.Code != http.StatusOK {
			t.Fatalf("stream %s of an accepted lesson = %d: %.300s", format, out.Code, out.Body.Bytes())
		}
		if err := wellFormed(format, out.Body.Bytes()); err != nil {
			t.Fatalf("stream %s: %v", format, err)
		}
		h := out.Header().Get("Content-Disposition")
		if !strings.HasPrefix(h, `attachment; filename="`) || strings.ContainsAny(h, "\r\n") {
			t.Fatalf("Content-Disposition %q", h)
		}
	})
}

// FuzzHandlers sends any method, path, body and Authorization header: the
// server never answers 500 and every error is the API's error body.
func FuzzHandlers(f *testing.F) {
	s := newFuzzServer(f)
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}
	for _, rt := range apiRoutes {
		f.Add(uint8(0), rt.path, []byte(`{"lesson_id":"les_x","format":"pdf"}`), uint8(0))
	}
	f.Add(uint8(1), "/api/v1/exports", []byte(`{"lesson_id":"","format":"词"}`), uint8(0))
	f.Add(uint8(1), "/api/v1/exports?x=%zz", []byte(`{`), uint8(1))
	f.Add(uint8(0), "/api/v1/exports?page_size=-1&page_token=%00", []byte{}, uint8(0))
	f.Add(uint8(0), "/api/v1/lessons?limit=99999999999999999999", []byte{}, uint8(0))
	f.Add(uint8(0), "/api/v1/../../etc/passwd", []byte{}, uint8(2))
	f.Add(uint8(0), "/api/v1/health", []byte{}, uint8(3))
	f.Fuzz(func(t *testing.T, m uint8, target string, body []byte, authMode uint8) {
		if !strings.HasPrefix(target, "/") || strings.ContainsAny(target, " \r\n\t#") {
			return
		}
		authz := []string{"Bearer " + s.token, "", "Bearer x.y.z", "Bearer " + s.token + "x"}[authMode%4]
		method := methods[int(m)%len(methods)]
		rec := s.serve(method, target, "application/json", body, authz)
		if method == "HEAD" {
			if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
				t.Fatalf("HEAD %s = %d", target, rec.Code)
			}
			return
		}
		checkErrorBody(t, method+" "+target, rec)
	})
}
