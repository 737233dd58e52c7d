package alertlog

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	tlog "go.temporal.io/sdk/log"
)

func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not one JSON object: %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

func TestLinesCarryTheStandardFields(t *testing.T) {
	var buf bytes.Buffer
	log := New(&buf, Options{Component: "worker"}).With(TaskID, "exp_1", UserID, "alice")
	log.Warn("export is slow", "event", SlowExportDetected, DurationSeconds, 31.5, ThresholdSeconds, 30)
	log.Log(t.Context(), LevelCritical, "storage is gone", "event", DiskSpaceLow)
	log.Error("failed", "event", ExportTaskFailed, "err", errors.New("boom"))

	got := lines(t, &buf)
	if len(got) != 3 {
		t.Fatalf("%d lines", len(got))
	}
	first := got[0]
	for k, want := range map[string]any{
		"level": "WARNING", "event": SlowExportDetected, "service": "lessonexport",
		"component": "worker", "message": "export is slow", "task_id": "exp_1", "user_id": "alice",
		"duration_seconds": 31.5, "threshold_seconds": 30.0,
	} {
		if first[k] != want {
			t.Errorf("%s = %v, want %v", k, first[k], want)
		}
	}
	ts, _ := first["timestamp"].(string)
	if parsed, err := time.Parse(time.RFC3339Nano, ts); err != nil || parsed.Location() != time.UTC {
		t.Errorf("timestamp %q is not RFC 3339 UTC (%v)", ts, err)
	}
	if _, ok := first["time"]; ok {
		t.Error("the time key is still there")
	}
	if got[1]["level"] != "CRITICAL" {
		t.Errorf("critical level = %v", got[1]["level"])
	}
	if got[2]["err"] != "boom" {
		t.Errorf("error value = %v", got[2]["err"])
	}
}

func TestSDKLinesGetAnEventAndSnakeCaseKeys(t *testing.T) {
	var buf bytes.Buffer
	sdk := tlog.NewStructuredLogger(New(&buf, Options{Component: "temporal"}))
	sdk.Info("Started Worker", "Namespace", "default", "TaskQueue", "lesson-export",
		"WorkflowID", "exp_2", "Attempt", 3, "Error", errors.New("x"))
	m := lines(t, &buf)[0]
	for k, want := range map[string]any{
		"event": Log, "namespace": "default", "task_queue": "lesson-export",
		"workflow_id": "exp_2", "attempt": 3.0, "error_message": "x", "level": "INFO",
	} {
		if m[k] != want {
			t.Errorf("%s = %v, want %v", k, m[k], want)
		}
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{
		"WorkflowID": "workflow_id", "TaskQueue": "task_queue", "RunID": "run_id",
		"already_snake": "already_snake", "ActivityType": "activity_type", "ID": "id",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}
