// Package exports is the web server's view of exports: it starts, describes,
// lists, cancels and retries ExportWorkflow runs, and reads every export's
// state from Temporal rather than from a copy of its own.
package exports
