// Package pdf writes a document as a PDF file with embedded font subsets,
// doing its own line breaking for Chinese and Latin text and writing each
// page as soon as it is complete.
package pdf
