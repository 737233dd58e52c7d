package worker

import (
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"lessonexport/activities"
	"lessonexport/workflows"
)

// Options configures a worker.
type Options struct {
	// MaxConcurrentExports caps the export activities the worker runs at
	// once. Exports beyond it wait in the task queue. Zero means 4.
	MaxConcurrentExports int
}

// New returns a worker for the export task queue, not yet started.
func New(c client.Client, acts *activities.Activities, opts Options) sdkworker.Worker {
	limit := opts.MaxConcurrentExports
	if limit <= 0 {
		limit = 4
	}
	w := sdkworker.New(c, workflows.TaskQueue, sdkworker.Options{
		MaxConcurrentActivityExecutionSize: limit,
		// Pollers beyond the cap would only fetch tasks that must wait.
		MaxConcurrentActivityTaskPollers: min(limit, 4),
	})
	Register(w, acts)
	return w
}

// Register registers the export workflow and activities with r.
func Register(r sdkworker.Registry, acts *activities.Activities) {
	r.RegisterWorkflow(workflows.ExportWorkflow)
	r.RegisterActivity(acts)
}
