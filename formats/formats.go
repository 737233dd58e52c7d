package formats

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"lessonexport/document"
	"lessonexport/formats/docx"
	"lessonexport/formats/markdown"
	"lessonexport/formats/pdf"
	"lessonexport/formats/pptx"
	"lessonexport/lesson"
	"lessonexport/render"
)

// Format is an export format by its canonical name.
type Format string

// The export formats.
const (
	Word     Format = "word"
	PDF      Format = "pdf"
	PPTX     Format = "pptx"
	Markdown Format = "markdown"
)

// All lists the formats in the order they are documented.
var All = []Format{Word, PDF, PPTX, Markdown}

// ErrUnknown is returned, wrapped, by Parse for a name it does not know.
var ErrUnknown = errors.New("unknown format")

// Accepted is the list of accepted names, for error messages.
const Accepted = "word, pdf, pptx, markdown (aliases docx, md)"

// Parse maps a format name or alias, in any case, to its Format.
func Parse(name string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "word", "docx":
		return Word, nil
	case "pdf":
		return PDF, nil
	case "pptx":
		return PPTX, nil
	case "markdown", "md":
		return Markdown, nil
	}
	return "", fmt.Errorf("%w %q: accepted formats are %s", ErrUnknown, name, Accepted)
}

// Known reports whether f is one of the formats.
func (f Format) Known() bool {
	_, err := Parse(string(f))
	return err == nil && string(f) == strings.ToLower(string(f))
}

// Extension is the file name extension of f, with its dot.
func (f Format) Extension() string {
	switch f {
	case Word:
		return ".docx"
	case PDF:
		return ".pdf"
	case PPTX:
		return ".pptx"
	case Markdown:
		return ".md"
	}
	return ""
}

// ContentType is the media type of f.
func (f Format) ContentType() string {
	switch f {
	case Word:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case PDF:
		return "application/pdf"
	case PPTX:
		return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	case Markdown:
		return "text/markdown; charset=utf-8"
	}
	return "application/octet-stream"
}

// NewWriter returns the writer of f over w.
func (f Format) NewWriter(w io.Writer, meta document.Meta) (document.Writer, error) {
	switch f {
	case Word:
		return docx.NewWriter(w, meta)
	case PDF:
		return pdf.NewWriter(w, meta)
	case PPTX:
		return pptx.NewWriter(w, meta)
	case Markdown:
		return markdown.NewWriter(w, meta)
	}
	return nil, fmt.Errorf("%w %q: accepted formats are %s", ErrUnknown, string(f), Accepted)
}

// ErrGeneration marks a failure of rendering or of a writer, as opposed to a
// failure of the io.Writer the document goes to.
var ErrGeneration = errors.New("generate document")

// Write renders p and writes it as f to w, block by block. It stops when ctx
// is done. A failure of w itself is returned as it is; a failure of the
// renderer or writer wraps ErrGeneration.
//
// A panic in a writer is a bug, but one bad plan must not take the process
// down with it, so Write turns it into an error.
func Write(ctx context.Context, w io.Writer, f Format, p *lesson.Plan) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: writer panicked: %v", ErrGeneration, r)
		}
	}()
	ew := &errWriter{w: w}
	dw, err := f.NewWriter(ew, render.Meta(p))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrGeneration, err)
	}
	blocks := render.Blocks(p)
	for b := range blocks {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := dw.WriteBlock(b); err != nil {
			return ew.classify(err)
		}
	}
	if err := dw.Close(); err != nil {
		return ew.classify(err)
	}
	return nil
}

// errWriter remembers the first error of the underlying writer, so that a
// writer error can be told apart from a failure to generate.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}

func (e *errWriter) classify(err error) error {
	if e.err != nil {
		return e.err
	}
	return fmt.Errorf("%w: %w", ErrGeneration, err)
}
