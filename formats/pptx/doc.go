// Package pptx writes a document's blocks as a PowerPoint (Office Open XML)
// presentation, one slide per section, writing each slide as soon as it is
// full.
package pptx
