package e2e_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"

	"lessonexport/exports"
	"lessonexport/formats"
	"lessonexport/lesson"
)

// scriptedWrite makes generation block for lessons titled "slow" until the
// export is cancelled, and fail for lessons titled "broken".
func scriptedWrite(ctx context.Context, w io.Writer, f formats.Format, p *lesson.Plan) error {
	switch p.Title {
	case "slow":
		<-ctx.Done()
		return ctx.Err()
	case "broken":
		return fmt.Errorf("%w: the writer broke", formats.ErrGeneration)
	}
	return formats.Write(ctx, w, f, p)
}

func (s *stack) lesson(user, title string) string {
	s.t.Helper()
	var l struct {
		ID string `json:"id"`
	}
	s.json(user, "POST", "/api/v1/lessons", map[string]any{"title": title}, http.StatusCreated, &l)
	return l.ID
}

func (s *stack) export(user, lessonID, format string) string {
	s.t.Helper()
	var e exports.Export
	s.json(user, "POST", "/api/v1/exports", map[string]string{"lesson_id": lessonID, "format": format},
		http.StatusAccepted, &e)
	return e.ID
}

// eventually polls cond for up to limit.
func eventually(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s waiting for %s", limit, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *stack) logEvent(event, taskID string) map[string]any {
	for _, l := range s.logs.lines(s.t) {
		if l["event"] == event && (taskID == "" || l["task_id"] == taskID) {
			return l
		}
	}
	return nil
}

func TestMetricsAndAlertLogsFollowRealExports(t *testing.T) {
	s := startStack(t, stackOptions{maxConcurrent: 1, write: scriptedWrite,
		queueTimeout: 10 * time.Second, slowThreshold: time.Second})
	m := s.metrics
	count := func(status, format string) float64 {
		return testutil.ToFloat64(m.Tasks.WithLabelValues(status, format))
	}
	errorsOf := func(kind string) float64 { return testutil.ToFloat64(m.Errors.WithLabelValues(kind)) }

	// Completed.
	var created exports.Export
	s.json("alice", "POST", "/api/v1/exports", map[string]string{
		"lesson_id": s.lesson("alice", "A lesson that works"), "format": "pdf",
	}, http.StatusAccepted, &created, "X-Request-ID", "req-observability-1")
	done := created.ID
	if e := s.waitFor("alice", done, time.Minute); e.Status != exports.StatusCompleted {
		t.Fatalf("export ended %+v", e)
	}
	eventually(t, 5*time.Second, "the completion to be counted", func() bool {
		return count("completed", "pdf") == 1
	})
	if n := histogramCount(t, s, "export_task_duration_seconds", "pdf"); n != 1 {
		t.Fatalf("duration observations for pdf = %d, want 1", n)
	}
	if l := s.logEvent("export_task_completed", done); l == nil || l["level"] != "INFO" ||
		l["format"] != "pdf" || l["duration_seconds"] == nil || l["user_id"] != "alice" ||
		l["request_id"] != "req-observability-1" {
		t.Fatalf("completion log line = %v", l)
	}

	if l := s.logEvent("file_saved", done); l == nil || l["user_id"] != "alice" || l["size_bytes"] == nil {
		t.Fatalf("file_saved log line = %v", l)
	}
	for _, l := range s.logs.lines(t) {
		if msg, _ := l["message"].(string); strings.Contains(msg, "Heartbeat with error") {
			t.Fatalf("a heartbeat was recorded after its activity ended: %v", l)
		}
		for _, key := range []string{"timestamp", "level", "event", "service", "component", "message"} {
			if _, ok := l[key]; !ok {
				t.Fatalf("log line without %s: %v", key, l)
			}
		}
	}

	// Refused as invalid: an invented format is counted as unknown.
	ok := s.lesson("alice", "Another lesson")
	for _, f := range []string{"xyz", "odt", "../../x"} {
		r := s.do("alice", "POST", "/api/v1/exports", "application/json",
			[]byte(`{"lesson_id":"`+ok+`","format":"`+f+`"}`))
		if r.status != http.StatusBadRequest {
			t.Fatalf("format %q: %d", f, r.status)
		}
	}
	if got := count("failed", "unknown"); got != 3 {
		t.Fatalf("failed/unknown = %v, want 3", got)
	}
	if got := errorsOf("validation"); got != 3 {
		t.Fatalf("validation errors = %v, want 3", got)
	}
	if l := s.logEvent("export_validation_failed", ""); l == nil || l["level"] != "ERROR" ||
		l["format"] != "unknown" {
		t.Fatalf("validation log line = %v", l)
	}

	// Generation fails.
	broken := s.export("alice", s.lesson("alice", "broken"), "word")
	if e := s.waitFor("alice", broken, time.Minute); e.Status != exports.StatusFailed ||
		e.Error == nil || e.Error.Type != "generation" {
		t.Fatalf("broken export ended %+v", e)
	}
	eventually(t, 5*time.Second, "the generation failure to be counted", func() bool {
		return count("failed", "word") == 1 && errorsOf("generation") == 1
	})
	if l := s.logEvent("export_task_failed", broken); l == nil || l["level"] != "ERROR" ||
		l["error_type"] != "generation" || l["error_class"] == nil || l["error_message"] == nil {
		t.Fatalf("failure log line = %v", l)
	}

	// A slow export holds the only slot; others queue behind it.
	slow := s.export("alice", s.lesson("alice", "slow"), "pptx")
	eventually(t, 10*time.Second, "the slow export to occupy the slot", func() bool {
		return testutil.ToFloat64(m.Active) == 1
	})
	waiting := []string{s.export("alice", ok, "markdown"), s.export("alice", ok, "markdown")}
	eventually(t, 5*time.Second, "the queued gauge to rise", func() bool {
		return testutil.ToFloat64(m.Queued) >= 1
	})
	var queued exports.Export
	s.json("alice", "GET", "/api/v1/exports/"+waiting[1], nil, http.StatusOK, &queued)
	if queued.Status != exports.StatusQueued || queued.Stage != "queued" || queued.Progress != 0 {
		t.Fatalf("an export waiting for a slot shows %+v", queued)
	}
	var page exports.Page
	s.json("alice", "GET", "/api/v1/exports?page_size=50", nil, http.StatusOK, &page)
	for _, e := range page.Exports {
		if e.ID == waiting[1] && e.Status != exports.StatusQueued {
			t.Fatalf("the list shows a waiting export as %s/%s", e.Status, e.Stage)
		}
	}
	eventually(t, 5*time.Second, "the slow export to be reported", func() bool {
		l := s.logEvent("slow_export_detected", slow)
		return l != nil && l["level"] == "WARNING" && l["threshold_seconds"] == 1.0
	})
	s.json("alice", "POST", "/api/v1/exports/"+slow+"/cancel", nil, http.StatusAccepted, nil)
	if e := s.waitFor("alice", slow, 30*time.Second); e.Status != exports.StatusCancelled {
		t.Fatalf("slow export ended %+v", e)
	}
	for _, id := range waiting {
		if e := s.waitFor("alice", id, time.Minute); e.Status != exports.StatusCompleted {
			t.Fatalf("queued export ended %+v", e)
		}
	}
	eventually(t, 5*time.Second, "the cancellation to be counted", func() bool {
		return count("cancelled", "pptx") == 1
	})
	eventually(t, 6*time.Second, "the queue to drain", func() bool {
		return testutil.ToFloat64(m.Queued) == 0 && testutil.ToFloat64(m.Active) == 0
	})

	// An export that waits past the queue timeout fails as a timeout.
	blocker := s.export("alice", s.lesson("alice", "slow"), "pdf")
	eventually(t, 10*time.Second, "the blocker to occupy the slot", func() bool {
		return testutil.ToFloat64(m.Active) == 1
	})
	late := s.export("alice", ok, "word")
	if e := s.waitFor("alice", late, 30*time.Second); e.Status != exports.StatusFailed ||
		e.Error == nil || e.Error.Type != "timeout" {
		t.Fatalf("late export ended %+v", e)
	}
	eventually(t, 5*time.Second, "the queue timeout to be counted", func() bool {
		return errorsOf("timeout") == 1
	})
	if l := s.logEvent("export_timeout_queued", late); l == nil || l["level"] != "WARNING" ||
		l["active"] != 1.0 || l["max"] != 1.0 {
		t.Fatalf("queue timeout log line = %v", l)
	}
	s.json("alice", "POST", "/api/v1/exports/"+blocker+"/cancel", nil, http.StatusAccepted, nil)
	s.waitFor("alice", blocker, 30*time.Second)

	// Every kind of ending replays against the workflow code as it is.
	s.replay([]string{"completed", "generation-failed", "cancelled", "completed-after-queue",
		"queue-timeout", "cancelled-blocker"}, done, broken, slow, waiting[0], late, blocker)

	// The Temporal SDK's metrics share the registry, as histograms; tally
	// reports them once a second.
	kinds := map[string]dto.MetricType{}
	eventually(t, 5*time.Second, "the Temporal SDK's metrics", func() bool {
		families, err := s.registry.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range families {
			kinds[f.GetName()] = f.GetType()
		}
		_, completed := kinds["temporal_workflow_completed_total"]
		_, latency := kinds["temporal_activity_execution_latency_seconds"]
		return completed && latency
	})
	if kinds["temporal_activity_execution_latency_seconds"] != dto.MetricType_HISTOGRAM {
		t.Errorf("temporal_activity_execution_latency_seconds is a %v, want a histogram",
			kinds["temporal_activity_execution_latency_seconds"])
	}
	for name := range kinds {
		if strings.Contains(name, "xyz") || strings.Contains(name, "odt") {
			t.Errorf("an invented format made a metric: %s", name)
		}
	}

	// What /metrics serves passes promtool's lint.
	r := s.do("", "GET", "/metrics", "", nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "export_tasks_total") {
		t.Fatalf("/metrics = %d", r.status)
	}
	if strings.Contains(string(r.body), `route="/api/v1/exports/exp_`) {
		t.Fatal("an HTTP metric is labelled by raw path")
	}
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Log("notice: promtool is not installed (Debian package prometheus); /metrics is not linted")
		return
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(string(r.body))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}

func histogramCount(t *testing.T, s *stack, name, format string) uint64 {
	t.Helper()
	families, err := s.registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, metric := range f.GetMetric() {
			for _, l := range metric.GetLabel() {
				if l.GetName() == "format" && l.GetValue() == format {
					return metric.GetHistogram().GetSampleCount()
				}
			}
		}
	}
	return 0
}
