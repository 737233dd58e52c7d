// Package formats names the export formats, maps each to its writer, and runs
// the whole conversion of a lesson plan into one of them.
package formats
