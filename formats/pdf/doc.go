// Package pdf writes a document as a PDF file with embedded subsets of the
// WenQuanYi Micro Hei faces, doing its own line breaking for Chinese and
// Latin text.
package pdf
