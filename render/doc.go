// Package render turns a lesson plan into the format-neutral document model:
// its Meta and a lazily produced stream of blocks that every writer consumes.
package render
