// Package lesson holds the lesson plan (教案) model, its import from JSON and
// from Markdown with YAML front matter, and its validation against the
// lesson plan schema.
package lesson
