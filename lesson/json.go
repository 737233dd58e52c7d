package lesson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
)

// utf8BOM is the byte order mark some editors put at the start of a file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// ParseJSON reads a lesson plan in its JSON form. It checks the document
// against the lesson plan schema first and returns a *ValidationError naming
// every problem with its JSON Pointer; malformed JSON gives a single problem
// that says where the syntax breaks. A plan it returns passes Validate.
func ParseJSON(data []byte) (*Plan, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	doc, perr := decodeJSON(data)
	if perr != nil {
		return nil, &ValidationError{Problems: []Problem{*perr}}
	}
	probs, err := validateDoc(doc)
	if err != nil {
		return nil, err
	}
	if len(probs) > 0 {
		return nil, problemsError(probs)
	}

	// The schema counts 45.0 and 4.5e1 as integers, encoding/json does not:
	// write such numbers as plain integers before decoding into the Plan.
	norm, err := json.Marshal(normalizeNumbers(doc))
	if err != nil {
		return nil, fmt.Errorf("encode lesson plan: %w", err)
	}
	var p Plan
	if err := json.Unmarshal(norm, &p); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			path := jsonFieldPath(te.Field)
			return nil, problemsError([]Problem{{
				Path:    pointer(path),
				Message: fieldName(path) + " is out of range",
			}})
		}
		return nil, fmt.Errorf("decode lesson plan: %w", err)
	}
	if probs := p.extraProblems(nil); len(probs) > 0 {
		return nil, problemsError(probs)
	}
	return &p, nil
}

// decodeJSON decodes one JSON value, keeping numbers as json.Number. It
// returns a problem that locates a syntax error by line and column.
func decodeJSON(data []byte) (any, *Problem) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &Problem{Message: "malformed JSON: the input is empty"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			line, col := lineColumn(data, se.Offset-1)
			msg := strings.TrimPrefix(se.Error(), "json: ")
			return nil, &Problem{Message: fmt.Sprintf(
				"malformed JSON at line %d, column %d: %s", line, col, msg)}
		case errors.Is(err, io.ErrUnexpectedEOF):
			line, col := lineColumn(data, int64(len(data)))
			return nil, &Problem{Message: fmt.Sprintf(
				"malformed JSON at line %d, column %d: unexpected end of input", line, col)}
		default:
			msg := strings.TrimPrefix(err.Error(), "json: ")
			return nil, &Problem{Message: "malformed JSON: " + msg}
		}
	}
	end := dec.InputOffset()
	if rest := bytes.TrimSpace(data[end:]); len(rest) > 0 {
		off := end + int64(bytes.Index(data[end:], rest[:1]))
		line, col := lineColumn(data, off)
		return nil, &Problem{Message: fmt.Sprintf("malformed JSON at line %d, column %d: "+
			"unexpected text after the lesson plan", line, col)}
	}
	return doc, nil
}

// lineColumn turns a byte offset into a 1-based line and column, counting
// columns in characters.
func lineColumn(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col = len([]rune(string(before[start:]))) + 1
	return line, col
}

// normalizeNumbers rewrites every integral json.Number as a plain integer.
func normalizeNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if _, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return v
		}
		r, ok := new(big.Rat).SetString(string(v))
		if ok && r.IsInt() {
			return json.Number(r.Num().String())
		}
		return v
	case map[string]any:
		for k, e := range v {
			v[k] = normalizeNumbers(e)
		}
	case []any:
		for i, e := range v {
			v[i] = normalizeNumbers(e)
		}
	}
	return v
}

// jsonFieldPath splits the dotted field path encoding/json reports.
func jsonFieldPath(field string) []string {
	if field == "" {
		return nil
	}
	return strings.Split(field, ".")
}
