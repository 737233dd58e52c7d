package e2e_test

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"time"

	historypb "go.temporal.io/api/history/v1"
	tlog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"google.golang.org/protobuf/encoding/protojson"

	"lessonexport/workflows"
)

// record, when set, writes the histories the tests replay to
// workflows/testdata, where the workflow package replays them without a
// server: go test ./e2e -run Metrics -record.
var identityPattern = regexp.MustCompile(`"[0-9]+@[^"]*@[^"]*"`)

var record = flag.Bool("record", false, "write replayed histories to workflows/testdata")

// replay replays the recorded histories of the given exports against the
// workflow code as it is now: a change that breaks running exports fails
// here.
func (s *stack) replay(names []string, ids ...string) {
	s.t.Helper()
	replayer := sdkworker.NewWorkflowReplayer()
	replayer.RegisterWorkflow(workflows.ExportWorkflow)
	logger := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	for i, id := range ids {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		iter := s.temporal.GetWorkflowHistory(ctx, id, "", false, 0)
		history := &historypb.History{}
		for iter.HasNext() {
			event, err := iter.Next()
			if err != nil {
				cancel()
				s.t.Fatalf("history of %s: %v", id, err)
			}
			history.Events = append(history.Events, event)
		}
		cancel()
		if *record {
			data, err := protojson.MarshalOptions{Indent: "  "}.Marshal(history)
			if err != nil {
				s.t.Fatal(err)
			}
			// The worker identity names this machine; the file need not.
			data = identityPattern.ReplaceAll(data, []byte(`"worker@test"`))
			if err := os.WriteFile(filepath.Join("..", "workflows", "testdata", "history-"+names[i]+".json"),
				append(data, '\n'), 0o644); err != nil {
				s.t.Fatal(err)
			}
		}
		if err := replayer.ReplayWorkflowHistory(logger, history); err != nil {
			s.t.Errorf("replay of %s (%d events): %v", id, len(history.Events), err)
		}
	}
}
