package lesson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"slices"
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
	if probs := numberProblems(doc, nil); len(probs) > 0 {
		// A number too large to compare is reported alone.
		return nil, problemsError(probs)
	}
	c := &checker{}
	c.value(lessonSchema(), doc)
	if len(c.probs) > 0 {
		return nil, problemsError(c.probs)
	}
	b := &planBuilder{}
	p := b.plan(doc.(map[string]any))
	if b.bad != nil {
		return nil, problemsError([]Problem{*b.bad})
	}
	if probs := p.extraProblems(nil); len(probs) > 0 {
		return nil, problemsError(probs)
	}
	return p, nil
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

// planBuilder fills a Plan from a decoded document that has passed the
// schema checks, so every value has the type the schema gives it. It records
// the first whole number too large for an int in bad.
type planBuilder struct {
	path []string
	bad  *Problem
}

func (b *planBuilder) plan(obj map[string]any) *Plan {
	p := &Plan{}
	for k, v := range obj {
		switch k {
		case "id":
			p.ID = str(v)
		case "title":
			p.Title = str(v)
		case "subject":
			p.Subject = str(v)
		case "level":
			p.Level = str(v)
		case "language":
			p.Language = str(v)
		case "textbook":
			p.Textbook = str(v)
		case "unit":
			p.Unit = str(v)
		case "duration_minutes":
			p.DurationMinutes = b.int(k, v)
		case "class_size":
			p.ClassSize = b.int(k, v)
		case "teacher":
			p.Teacher = str(v)
		case "school":
			p.School = str(v)
		case "date":
			p.Date = str(v)
		case "tags":
			p.Tags = strs(v)
		case "metadata":
			p.Metadata = objects(v, func(o map[string]any) Field {
				return Field{Name: str(o["name"]), Value: str(o["value"])}
			})
		case "preface":
			p.Preface = str(v)
		case "analysis":
			o, _ := v.(map[string]any)
			p.Analysis = &Analysis{Material: str(o["material"]), Students: str(o["students"])}
		case "objectives":
			p.Objectives = strs(v)
		case "key_points":
			p.KeyPoints = strs(v)
		case "difficulties":
			p.Difficulties = strs(v)
		case "materials":
			p.Materials = strs(v)
		case "vocabulary":
			p.Vocabulary = objects(v, func(o map[string]any) Term {
				return Term{Term: str(o["term"]), PartOfSpeech: str(o["part_of_speech"]),
					Phonetic: str(o["phonetic"]), Meaning: str(o["meaning"]),
					Example: str(o["example"])}
			})
		case "grammar":
			p.Grammar = objects(v, func(o map[string]any) Grammar {
				g := Grammar{Point: str(o["point"]), Explanation: str(o["explanation"])}
				if ex, ok := o["examples"]; ok {
					g.Examples = strs(ex)
				}
				return g
			})
		case "procedure":
			p.Procedure = b.stages(k, v)
		case "board_design":
			p.BoardDesign = str(v)
		case "homework":
			p.Homework = strs(v)
		case "assessment":
			p.Assessment = str(v)
		case "reflection":
			p.Reflection = str(v)
		case "sections":
			p.Sections = objects(v, func(o map[string]any) Section {
				return Section{Heading: str(o["heading"]), Body: str(o["body"]),
					After: str(o["after"])}
			})
		}
	}
	return p
}

// stages builds the list of stages under key, sub-steps included.
func (b *planBuilder) stages(key string, v any) []Stage {
	b.path = append(b.path, key)
	defer func() { b.path = b.path[:len(b.path)-1] }()
	arr, _ := v.([]any)
	out := make([]Stage, len(arr))
	for i, e := range arr {
		o, _ := e.(map[string]any)
		b.path = append(b.path, strconv.Itoa(i))
		s := &out[i]
		s.Name = str(o["name"])
		if m, ok := o["minutes"]; ok {
			n := b.int("minutes", m)
			s.Minutes = &n
		}
		s.Interaction = str(o["interaction"])
		s.Teacher = str(o["teacher"])
		s.Students = str(o["students"])
		s.Purpose = str(o["purpose"])
		s.Content = str(o["content"])
		if st, ok := o["steps"]; ok {
			s.Steps = b.stages("steps", st)
		}
		b.path = b.path[:len(b.path)-1]
	}
	return out
}

// int converts a whole number under key, which the schema has let through
// and which may be written as 45.0 or 4.5e1.
func (b *planBuilder) int(key string, v any) int {
	num, _ := v.(json.Number)
	if i, err := strconv.ParseInt(string(num), 10, strconv.IntSize); err == nil {
		return int(i)
	}
	r, ok := new(big.Rat).SetString(string(num))
	if ok && r.IsInt() && r.Num().IsInt64() {
		if i := r.Num().Int64(); int64(int(i)) == i {
			return int(i)
		}
	}
	if b.bad == nil {
		path := append(slices.Clip(b.path), key)
		b.bad = &Problem{Path: pointer(path), Message: fieldName(path) + " is out of range"}
	}
	return 0
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, len(arr))
	for i, e := range arr {
		out[i] = str(e)
	}
	return out
}

// objects builds a list of T from a list of objects.
func objects[T any](v any, build func(map[string]any) T) []T {
	arr, _ := v.([]any)
	out := make([]T, len(arr))
	for i, e := range arr {
		o, _ := e.(map[string]any)
		out[i] = build(o)
	}
	return out
}
