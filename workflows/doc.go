// Package workflows holds ExportWorkflow, which turns one lesson plan into one
// stored document through the export activities, and the names that the
// worker, the starter and the web server share with it.
package workflows
