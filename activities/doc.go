// Package activities holds the export's Temporal activities: loading the
// lesson, generating the document into storage, and publishing it. They are
// the only part of an export that touches I/O.
package activities
