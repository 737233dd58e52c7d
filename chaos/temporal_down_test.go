//go:build chaos

package chaos

import (
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"lessonexport/exports"
)

type health struct {
	Status string `json:"status"`
	Checks map[string]struct {
		Status string `json:"status"`
		Error  string `json:"error"`
	} `json:"checks"`
}

// checkDegraded asserts that health reports Temporal down and the rest up.
func (c *cluster) checkDegraded() {
	c.t.Helper()
	r := c.do("", "GET", "/api/v1/health", "", nil)
	var h health
	mustJSON(c.t, r.body, &h)
	if r.status != http.StatusServiceUnavailable || h.Status != "degraded" ||
		h.Checks["temporal"].Status != "down" || h.Checks["temporal"].Error == "" ||
		h.Checks["storage"].Status != "ok" || h.Checks["database"].Status != "ok" {
		c.t.Fatalf("health with Temporal down = %d %s", r.status, r.body)
	}
}

// checkCreateRefused asserts that a new export is refused with 503 and
// Retry-After, promptly.
func (c *cluster) checkCreateRefused(lessonID string) time.Duration {
	c.t.Helper()
	start := time.Now()
	body, _ := json.Marshal(map[string]string{"lesson_id": lessonID, "format": "pdf"})
	r := c.do("alice", "POST", "/api/v1/exports", "application/json", body)
	took := time.Since(start)
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	mustJSON(c.t, r.body, &e)
	if r.status != http.StatusServiceUnavailable || e.Error.Code != "unavailable" {
		c.t.Fatalf("create export with Temporal down = %d %s", r.status, r.body)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 {
		c.t.Fatalf("create export with Temporal down: Retry-After %q", r.header.Get("Retry-After"))
	}
	if took > 15*time.Second {
		c.t.Errorf("create export with Temporal down took %s to answer", took)
	}
	return took
}

// checkLessonReads asserts that lessons can still be read and written.
func (c *cluster) checkLessonReads(lessonID string) {
	c.t.Helper()
	if r := c.do("alice", "GET", "/api/v1/lessons", "", nil); r.status != http.StatusOK {
		c.t.Errorf("list lessons with Temporal down = %d", r.status)
	}
	if r := c.do("alice", "GET", "/api/v1/lessons/"+lessonID, "", nil); r.status != http.StatusOK {
		c.t.Errorf("read lesson with Temporal down = %d", r.status)
	}
	if r := c.do("alice", "POST", "/api/v1/lessons", "application/json",
		[]byte(`{"title":"Written while Temporal is down"}`)); r.status != http.StatusCreated {
		c.t.Errorf("create lesson with Temporal down = %d", r.status)
	}
}

// TestTemporalUnreachable stops the Temporal server under a running
// service: health reports it, new exports get 503 with Retry-After, lesson
// reads go on; and when Temporal is back, so is the service, with its
// exports.
func TestTemporalUnreachable(t *testing.T) {
	c := newCluster(t, nil).start()
	lesson := c.lesson("alice", bigLesson("Temporal down 服务中断", 20))
	done := c.export("alice", lesson, "word")
	before := c.waitAll("alice", []string{done.ID}, time.Minute)[done.ID]
	if before.Status != exports.StatusCompleted {
		t.Fatalf("export ended %+v", before)
	}

	c.temporal.stop(syscall.SIGKILL, 10*time.Second)
	down := time.Now()
	c.checkDegraded()
	took := c.checkCreateRefused(lesson)
	t.Logf("create export with Temporal down: 503 after %s", took.Round(time.Millisecond))
	c.checkLessonReads(lesson)
	// An export's state lives in Temporal: reading it now is a 503 with
	// Retry-After, never a 500 or a wrong 404.
	for _, path := range []string{"/api/v1/exports/" + done.ID, "/api/v1/exports",
		"/api/v1/exports/" + done.ID + "/download"} {
		r := c.do("alice", "GET", path, "", nil)
		switch {
		case r.status == http.StatusOK:
		case r.status == http.StatusServiceUnavailable && r.header.Get("Retry-After") != "":
		default:
			t.Errorf("GET %s with Temporal down = %d %s", path, r.status, r.body)
		}
		t.Logf("GET %s with Temporal down = %d", path, r.status)
	}

	c.startTemporal()
	c.waitUntil(60*time.Second, "health to recover", func() bool {
		r, err := c.try("", "GET", "/api/v1/health", "", nil)
		return err == nil && r.status == http.StatusOK
	})
	t.Logf("health ok again %s after Temporal was killed", time.Since(down).Round(time.Millisecond))
	if after, ok := c.get("alice", done.ID); !ok || after.SHA256 != before.SHA256 {
		t.Fatalf("the completed export after Temporal's restart: %+v", after)
	}
	if err := c.checkDownload("alice", before); err != nil {
		t.Fatal(err)
	}
	next := c.export("alice", lesson, "pdf")
	if e := c.waitAll("alice", []string{next.ID}, 2*time.Minute)[next.ID]; e.Status !=
		exports.StatusCompleted {
		t.Fatalf("an export after Temporal's restart ended %+v", e)
	}
}

// TestWebStartsWithoutTemporal starts the web server against a port nobody
// listens on: it starts, reports Temporal down, keeps lessons working and
// refuses exports with 503.
func TestWebStartsWithoutTemporal(t *testing.T) {
	c := newCluster(t, nil)
	c.startWeb()
	c.checkDegraded()
	id := c.lesson("alice", []byte(`{"title":"No Temporal at all"}`))
	c.checkCreateRefused(id)
	c.checkLessonReads(id)
	if _, err := os.Stat(c.dataDir + "/lessons.db"); err != nil {
		t.Fatal(err)
	}
}
