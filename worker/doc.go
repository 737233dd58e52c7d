// Package worker builds the Temporal worker that runs exports: it registers
// ExportWorkflow and the export activities on the export task queue and caps
// how many export activities run at once.
package worker
