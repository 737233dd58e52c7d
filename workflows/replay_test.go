package workflows_test

import (
	"log/slog"
	"path/filepath"
	"testing"

	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"lessonexport/workflows"
)

// TestRecordedHistoriesReplay replays histories recorded from a real
// Temporal server (one per way an export can end; the end-to-end tests
// rewrite them with -record) against the workflow code as it is now. A
// change that would break exports already running fails here.
func TestRecordedHistoriesReplay(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "history-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 6 {
		t.Fatalf("found %d recorded histories, want one for each way an export ends", len(files))
	}
	logger := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	for _, f := range files {
		replayer := worker.NewWorkflowReplayer()
		replayer.RegisterWorkflow(workflows.ExportWorkflow)
		if err := replayer.ReplayWorkflowHistoryFromJSONFile(logger, f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}
