package lesson

import (
	"errors"
	"fmt"
	"mime"
	"path/filepath"
	"strings"
)

// ErrUnsupported is wrapped by the error Parse and ParseFile return for an
// input kind they cannot read, such as an unknown media type or file
// extension.
var ErrUnsupported = errors.New("unsupported lesson plan format")

// Parse reads a lesson plan of the given media type: application/json (or
// any type ending in +json) as JSON, text/markdown, text/x-markdown and
// text/plain as Markdown. Parameters such as charset are allowed; the text
// must be UTF-8.
func Parse(data []byte, mediaType string) (*Plan, error) {
	if strings.TrimSpace(mediaType) == "" {
		return nil, fmt.Errorf("parse lesson plan: no media type given: %w", ErrUnsupported)
	}
	mt, params, err := mime.ParseMediaType(mediaType)
	if err != nil {
		return nil, fmt.Errorf("parse lesson plan: media type %q: %w", mediaType, ErrUnsupported)
	}
	if cs, ok := params["charset"]; ok {
		switch strings.ToLower(cs) {
		case "utf-8", "utf8", "us-ascii":
		default:
			return nil, fmt.Errorf("parse lesson plan: charset %q, send UTF-8: %w", cs,
				ErrUnsupported)
		}
	}
	switch {
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return ParseJSON(data)
	case mt == "text/markdown" || mt == "text/x-markdown" || mt == "text/plain":
		return ParseMarkdown(data)
	}
	return nil, fmt.Errorf("parse lesson plan: media type %q, use application/json or "+
		"text/markdown: %w", mt, ErrUnsupported)
}

// ParseFile reads a lesson plan file, choosing the parser by the name's
// extension: .json for JSON, .md and .markdown for Markdown.
func ParseFile(name string, data []byte) (*Plan, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".json":
		return ParseJSON(data)
	case ".md", ".markdown":
		return ParseMarkdown(data)
	}
	return nil, fmt.Errorf("parse %s: extension %q, use .json, .md or .markdown: %w",
		name, filepath.Ext(name), ErrUnsupported)
}
