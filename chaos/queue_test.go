//go:build chaos

package chaos

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"lessonexport/exports"
)

// TestFullQueueTimesOutAndRefuses keeps one worker slot busy with large PDF
// exports: exports that wait longer than the queue timeout fail as timeout
// with the export_timeout_queued warning, and once more exports wait than
// the configured maximum, new requests get 429 with Retry-After.
func TestFullQueueTimesOutAndRefuses(t *testing.T) {
	const maxQueued = 4
	c := newCluster(t, map[string]string{
		"LESSONEXPORT_MAX_CONCURRENT_EXPORTS": "1",
		"LESSONEXPORT_QUEUE_TIMEOUT":          "3s",
		"LESSONEXPORT_MAX_QUEUED_EXPORTS":     strconv.Itoa(maxQueued),
		"LESSONEXPORT_MAX_BODY_BYTES":         "33554432",
	}).start()
	// Each PDF of this lesson takes about a second to generate.
	lesson := c.lesson("alice", bigLesson("Queue full 排队", 3000))
	body, _ := json.Marshal(map[string]string{"lesson_id": lesson, "format": "pdf"})

	var accepted []string
	refused := 0
	for i := 0; i < 60 && refused < 3; i++ {
		r := c.do("alice", "POST", "/api/v1/exports", "application/json", body)
		switch r.status {
		case http.StatusAccepted:
			var e exports.Export
			mustJSON(t, r.body, &e)
			accepted = append(accepted, e.ID)
		case http.StatusTooManyRequests:
			refused++
			var e struct {
				Error struct{ Code string } `json:"error"`
			}
			mustJSON(t, r.body, &e)
			if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 ||
				e.Error.Code != "busy" {
				t.Errorf("429 with Retry-After %q: %s", r.header.Get("Retry-After"), r.body)
			}
		default:
			t.Fatalf("create export = %d: %s", r.status, r.body)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Logf("%d exports accepted before %d were refused with 429", len(accepted), refused)
	if refused == 0 {
		t.Fatalf("no 429 after %d exports with at most %d queued", len(accepted), maxQueued)
	}

	ended := c.waitAll("alice", accepted, 5*time.Minute)
	var completed, timedOut int
	for _, id := range accepted {
		e := ended[id]
		switch {
		case e.Status == exports.StatusCompleted:
			completed++
			if err := c.checkDownload("alice", e); err != nil {
				t.Error(err)
			}
		case e.Status == exports.StatusFailed && e.Error != nil && e.Error.Type == "timeout":
			timedOut++
			c.waitUntil(10*time.Second, "the queue timeout warning of "+id, func() bool {
				return len(c.worker.out.events("export_timeout_queued", id)) > 0
			})
			l := c.worker.out.events("export_timeout_queued", id)[0]
			if l["level"] != "WARNING" || l["error_type"] != "timeout" || l["max"] != 1.0 {
				t.Errorf("queue timeout log line = %v", l)
			}
		default:
			t.Errorf("export %s ended %s %+v", id, e.Status, e.Error)
		}
	}
	t.Logf("%d completed, %d failed as queue timeouts", completed, timedOut)
	if timedOut == 0 {
		t.Error("no export timed out in the queue")
	}

	// The refusal lasts only as long as the queue is full.
	c.waitUntil(30*time.Second, "the queued gauge to drain", func() bool {
		m, err := c.metrics()
		return err == nil && m["export_tasks_queued"] == 0
	})
	time.Sleep(1500 * time.Millisecond)
	e := c.export("alice", lesson, "markdown")
	if got := c.waitAll("alice", []string{e.ID}, time.Minute)[e.ID]; got.Status !=
		exports.StatusCompleted {
		t.Fatalf("an export after the queue drained ended %+v", got)
	}
}
