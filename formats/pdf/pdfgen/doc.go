// Package pdfgen writes PDF files as a stream: each page goes out when it
// is complete, and the fonts, outline and cross-reference table at the end.
package pdfgen
