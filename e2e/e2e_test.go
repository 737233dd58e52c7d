package e2e_test

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"lessonexport/exports"
)

type example struct {
	file, contentType string
	// phrases must appear in every format's text.
	phrases []string
}

var examples = []example{
	{"../testdata/examples/my-family.json", "application/json",
		[]string{"Unit 3 My Family 我的家人", "grandmother", "（外）祖母", "激活已有知识", "Wang Fang",
			"抄写新单词各三遍", "These are my brothers."}},
	{"../testdata/examples/weather-forecast.md", "text/markdown",
		[]string{"Reading the Weather Forecast", "drizzle", "covered with grey cloud",
			"Listening for gist", "Leave space here for notes after the lesson.", "Li Ming"}},
}

var allFormats = []string{"word", "pdf", "pptx", "markdown"}

func TestExportsEveryExampleToEveryFormatThroughTheAPI(t *testing.T) {
	s := startStack(t, stackOptions{maxConcurrent: 4})

	type job struct {
		ex     example
		format string
		id     string
	}
	var jobs []job
	for _, ex := range examples {
		body, err := os.ReadFile(ex.file)
		if err != nil {
			t.Fatal(err)
		}
		r := s.do("alice", "POST", "/api/v1/lessons", ex.contentType, body)
		if r.status != http.StatusCreated {
			t.Fatalf("create lesson %s = %d: %s", ex.file, r.status, r.body)
		}
		var created struct {
			ID string `json:"id"`
		}
		mustJSON(t, r.body, &created)
		for _, f := range allFormats {
			var e exports.Export
			s.json("alice", "POST", "/api/v1/exports",
				map[string]string{"lesson_id": created.ID, "format": f}, http.StatusAccepted, &e)
			if e.ID == "" || e.LessonID != created.ID || e.Format != f {
				t.Fatalf("created export = %+v", e)
			}
			jobs = append(jobs, job{ex, f, e.ID})
		}

		// The stream endpoint serves the same documents directly.
		for _, f := range allFormats {
			r := s.do("alice", "GET", "/api/v1/exports/stream/"+created.ID+"?format="+f, "", nil)
			if r.status != http.StatusOK {
				t.Fatalf("stream %s %s = %d: %s", ex.file, f, r.status, r.body)
			}
			if !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") {
				t.Fatalf("stream %s: Content-Disposition %q", f, r.header.Get("Content-Disposition"))
			}
			checkPhrases(t, "stream "+f, checkDocument(t, f, r.body), f, ex.phrases)
		}
	}

	for _, j := range jobs {
		e := s.waitFor("alice", j.id, 2*time.Minute)
		if e.Status != exports.StatusCompleted || e.Progress != 100 || e.DownloadURL == "" {
			t.Fatalf("export %s (%s) ended as %+v", j.id, j.format, e)
		}
		r := s.do("alice", "GET", e.DownloadURL, "", nil)
		if r.status != http.StatusOK {
			t.Fatalf("download %s = %d: %s", j.id, r.status, r.body)
		}
		if int64(len(r.body)) != e.FileSize {
			t.Fatalf("download %s: %d bytes, export says %d", j.id, len(r.body), e.FileSize)
		}
		if r.header.Get("ETag") != `"`+e.SHA256+`"` {
			t.Fatalf("download %s: ETag %q, sha256 %s", j.id, r.header.Get("ETag"), e.SHA256)
		}
		checkPhrases(t, j.format+" export", checkDocument(t, j.format, r.body), j.format, j.ex.phrases)

		// HEAD tells the size before a ranged download.
		if r := s.do("alice", "HEAD", e.DownloadURL, "", nil); r.status != http.StatusOK ||
			r.header.Get("Content-Length") != strconv.FormatInt(e.FileSize, 10) {
			t.Fatalf("HEAD %s = %d, Content-Length %q", e.DownloadURL, r.status, r.header.Get("Content-Length"))
		}

		if r := s.do("alice", "GET", e.DownloadURL, "", nil, "Range", "bytes=99999999-"); r.status !=
			http.StatusRequestedRangeNotSatisfiable || !strings.Contains(string(r.body), `"bad_range"`) {
			t.Fatalf("unsatisfiable range: %d %s", r.status, r.body)
		}

		// Another user sees nothing of it.
		if r := s.do("bob", "GET", "/api/v1/exports/"+j.id, "", nil); r.status != http.StatusNotFound {
			t.Fatalf("bob reads alice's export: %d", r.status)
		}
		if r := s.do("bob", "GET", e.DownloadURL, "", nil); r.status != http.StatusNotFound {
			t.Fatalf("bob downloads alice's export: %d", r.status)
		}
	}
}

func TestClientMistakesAreClear400s(t *testing.T) {
	s := startStack(t, stackOptions{maxConcurrent: 1})
	for _, token := range []string{"AAAA", "Zm9v", "!!!"} {
		start := time.Now()
		r := s.do("alice", "GET", "/api/v1/exports?page_token="+token, "", nil)
		if r.status != http.StatusBadRequest || time.Since(start) > 6*time.Second {
			t.Fatalf("page_token %q: %d after %s: %s", token, r.status, time.Since(start), r.body)
		}
	}
	r := s.do("alice", "POST", "/api/v1/lessons", "text/markdown", []byte("# Bad \xff\xfe text\n"))
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "UTF-8") {
		t.Fatalf("invalid UTF-8: %d %s", r.status, r.body)
	}
	r = s.do("alice", "POST", "/api/v1/exports", "application/json", []byte(`[1, 2]`))
	if r.status != http.StatusBadRequest || strings.Contains(string(r.body), "Go value") {
		t.Fatalf("array body: %d %s", r.status, r.body)
	}
}

func checkPhrases(t *testing.T, what, text, format string, phrases []string) {
	t.Helper()
	if text == "" && format == "pdf" {
		return // pdftotext missing; checkDocument said so
	}
	got := squeeze(text)
	for _, p := range phrases {
		if !strings.Contains(got, squeeze(p)) {
			t.Errorf("%s: %q not found in the document's text", what, p)
		}
	}
}
