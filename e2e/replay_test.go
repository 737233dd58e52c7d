package e2e_test

import (
	"context"
	"log/slog"
	"time"

	historypb "go.temporal.io/api/history/v1"
	tlog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"

	"lessonexport/workflows"
)

// replay replays the recorded histories of the given exports against the
// workflow code as it is now: a change that breaks running exports fails
// here.
func (s *stack) replay(ids ...string) {
	s.t.Helper()
	replayer := sdkworker.NewWorkflowReplayer()
	replayer.RegisterWorkflow(workflows.ExportWorkflow)
	logger := tlog.NewStructuredLogger(slog.New(slog.DiscardHandler))
	for _, id := range ids {
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
		if err := replayer.ReplayWorkflowHistory(logger, history); err != nil {
			s.t.Errorf("replay of %s (%d events): %v", id, len(history.Events), err)
		}
	}
}
