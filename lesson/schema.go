package lesson

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// jsonType is the JSON type a schema node asks for.
type jsonType uint8

const (
	typeString jsonType = iota + 1
	typeInteger
	typeArray
	typeObject
)

// schemaNode holds the rules of one schema of schema.json, with only the
// keywords that file uses. Every object schema forbids properties it does not
// list, as additionalProperties false does.
type schemaNode struct {
	typ       jsonType
	minLength int // in code points; 0 sets no bound
	maxLength int // in code points; 0 sets no bound
	hasMin    bool
	min       int64
	hasMax    bool
	max       int64
	format    string // "date" or empty
	enum      []string
	items     *schemaNode
	props     map[string]*schemaNode
	required  []string
}

// buildLessonSchema writes schema.json down as schema nodes.
func buildLessonSchema() *schemaNode {
	str := func() *schemaNode { return &schemaNode{typ: typeString} }
	strList := func() *schemaNode { return &schemaNode{typ: typeArray, items: str()} }
	list := func(item *schemaNode) *schemaNode { return &schemaNode{typ: typeArray, items: item} }
	object := func(required []string, props map[string]*schemaNode) *schemaNode {
		return &schemaNode{typ: typeObject, required: required, props: props}
	}
	stage := object([]string{"name"}, nil)
	stage.props = map[string]*schemaNode{
		"name": str(),
		"minutes": {typ: typeInteger, hasMin: true, min: 0, hasMax: true,
			max: 600},
		"interaction": str(),
		"teacher":     str(),
		"students":    str(),
		"purpose":     str(),
		"content":     str(),
		"steps":       list(stage),
	}
	return object([]string{"title"}, map[string]*schemaNode{
		"id":               str(),
		"title":            {typ: typeString, minLength: 1, maxLength: 300},
		"subject":          str(),
		"level":            str(),
		"language":         str(),
		"textbook":         str(),
		"unit":             str(),
		"duration_minutes": {typ: typeInteger, hasMin: true, min: 1, hasMax: true, max: 1440},
		"class_size":       {typ: typeInteger, hasMin: true, min: 1},
		"teacher":          str(),
		"school":           str(),
		"date":             {typ: typeString, format: "date"},
		"tags":             strList(),
		"metadata": list(object([]string{"name", "value"}, map[string]*schemaNode{
			"name":  str(),
			"value": str(),
		})),
		"preface": str(),
		"analysis": object(nil, map[string]*schemaNode{
			"material": str(),
			"students": str(),
		}),
		"objectives":   strList(),
		"key_points":   strList(),
		"difficulties": strList(),
		"materials":    strList(),
		"vocabulary": list(object([]string{"term"}, map[string]*schemaNode{
			"term":           str(),
			"part_of_speech": str(),
			"phonetic":       str(),
			"meaning":        str(),
			"example":        str(),
		})),
		"grammar": list(object([]string{"point"}, map[string]*schemaNode{
			"point":       str(),
			"explanation": str(),
			"examples":    strList(),
		})),
		"procedure":    list(stage),
		"board_design": str(),
		"homework":     strList(),
		"assessment":   str(),
		"reflection":   str(),
		"sections": list(object([]string{"heading", "body"}, map[string]*schemaNode{
			"heading": str(),
			"body":    str(),
			"after": {typ: typeString, enum: []string{"title", "analysis", "objectives",
				"key_points", "difficulties", "materials", "vocabulary", "grammar", "procedure",
				"board_design", "homework", "assessment", "reflection"}},
		})),
	})
}

// checker collects problems while it walks a plan or a decoded document,
// keeping the path of the value at hand.
type checker struct {
	path  []string
	probs []Problem
}

func (c *checker) push(token string) { c.path = append(c.path, token) }
func (c *checker) pop()              { c.path = c.path[:len(c.path)-1] }

// add records a problem with the value at the current path; message gets the
// value's name in front.
func (c *checker) add(message string) {
	c.probs = append(c.probs, Problem{Path: pointer(c.path), Message: fieldName(c.path) + message})
}

// value checks a document decoded by encoding/json, numbers as json.Number,
// against s. Like a JSON Schema validator it reports a value of the wrong
// type and nothing else about it.
func (c *checker) value(s *schemaNode, v any) {
	switch s.typ {
	case typeString:
		str, ok := v.(string)
		if !ok {
			c.typeProblem(s, v)
			return
		}
		c.stringValue(s, str)
	case typeInteger:
		n, ok := v.(json.Number)
		if !ok {
			c.typeProblem(s, v)
			return
		}
		c.number(s, n)
	case typeArray:
		arr, ok := v.([]any)
		if !ok {
			c.typeProblem(s, v)
			return
		}
		for i, e := range arr {
			c.push(strconv.Itoa(i))
			c.value(s.items, e)
			c.pop()
		}
	case typeObject:
		obj, ok := v.(map[string]any)
		if !ok {
			c.typeProblem(s, v)
			return
		}
		for _, r := range s.required {
			if _, ok := obj[r]; !ok {
				c.push(r)
				c.probs = append(c.probs, Problem{Path: pointer(c.path), Message: r + " is required"})
				c.pop()
			}
		}
		for k, e := range obj {
			c.push(k)
			if ps := s.props[k]; ps != nil {
				c.value(ps, e)
			} else {
				c.probs = append(c.probs, Problem{Path: pointer(c.path),
					Message: fmt.Sprintf("unknown field %q", k)})
			}
			c.pop()
		}
	}
}

// typeProblem reports a value that is not of the type s asks for.
func (c *checker) typeProblem(s *schemaNode, v any) {
	got := "null"
	switch v.(type) {
	case string:
		got = "a string"
	case json.Number:
		got = "a number"
	case bool:
		got = "true or false"
	case []any:
		got = "a list"
	case map[string]any:
		got = "an object"
	}
	c.add(" must be " + typeName(s.typ) + ", not " + got)
}

func typeName(t jsonType) string {
	switch t {
	case typeString:
		return "a string"
	case typeInteger:
		return "a whole number"
	case typeArray:
		return "a list"
	case typeObject:
		return "an object"
	}
	return "a value"
}

// stringValue checks a string against s: its allowed values, its format and
// then its length in code points, as schema.json counts it.
func (c *checker) stringValue(s *schemaNode, v string) {
	if s.enum != nil && !slices.Contains(s.enum, v) {
		c.add(" must be one of " + strings.Join(s.enum, ", "))
		return
	}
	if s.format == "date" {
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			c.add(" must be a date written as YYYY-MM-DD, such as 2026-09-15")
			return
		}
	}
	if s.minLength == 0 && s.maxLength == 0 {
		return
	}
	n := utf8.RuneCountInString(v)
	switch {
	case n < s.minLength && s.minLength == 1:
		c.add(" must not be empty")
	case n < s.minLength:
		c.add(fmt.Sprintf(" must be at least %d characters long", s.minLength))
	case s.maxLength > 0 && n > s.maxLength:
		c.add(fmt.Sprintf(" must be at most %d characters long, not %d", s.maxLength, n))
	}
}

// number checks a JSON number against the integer schema s. Like the schema
// it counts 45.0 and 4.5e1 as whole numbers. The caller has already turned
// away numbers too long to compare cheaply (see numberProblems).
func (c *checker) number(s *schemaNode, n json.Number) {
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		c.integer(s, i)
		return
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok || !r.IsInt() {
		c.add(" must be a whole number")
		return
	}
	switch {
	case s.hasMin && r.Cmp(new(big.Rat).SetInt64(s.min)) < 0:
		c.add(" must be at least " + strconv.FormatInt(s.min, 10))
	case s.hasMax && r.Cmp(new(big.Rat).SetInt64(s.max)) > 0:
		c.add(" must be at most " + strconv.FormatInt(s.max, 10))
	}
}

// integer checks a whole number against the bounds of s.
func (c *checker) integer(s *schemaNode, v int64) {
	switch {
	case s.hasMin && v < s.min:
		c.add(" must be at least " + strconv.FormatInt(s.min, 10))
	case s.hasMax && v > s.max:
		c.add(" must be at most " + strconv.FormatInt(s.max, 10))
	}
}

// maxNumberLen bounds the text of a JSON number the package accepts. No field
// of a lesson plan needs more digits.
const maxNumberLen = 30

// numberProblems reports numbers whose text is too long to be a sensible
// value, such as 1e999999999, wherever they are in the document.
func numberProblems(v any, path []string) []Problem {
	var probs []Problem
	switch v := v.(type) {
	case json.Number:
		if len(v) > maxNumberLen || hugeExponent(string(v)) {
			probs = append(probs, Problem{
				Path:    pointer(path),
				Message: fieldName(path) + " is too large a number",
			})
		}
	case map[string]any:
		for k, e := range v {
			probs = append(probs, numberProblems(e, append(slices.Clip(path), k))...)
		}
	case []any:
		for i, e := range v {
			probs = append(probs, numberProblems(e, append(slices.Clip(path), strconv.Itoa(i)))...)
		}
	}
	return probs
}

// hugeExponent reports whether a number's exponent is beyond what any field
// could hold, such as 1e999999999.
func hugeExponent(num string) bool {
	i := strings.IndexAny(num, "eE")
	if i < 0 {
		return false
	}
	e, err := strconv.Atoi(num[i+1:])
	return err != nil || e > 400 || e < -400
}

// fieldName names the value at a path in a message: the last key, "each
// entry of tags" style wording for a list element, or "the lesson plan" for
// the document itself.
func fieldName(path []string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if _, err := strconv.Atoi(path[i]); err != nil {
			if i == len(path)-1 {
				return path[i]
			}
			return "each entry of " + path[i]
		}
	}
	return "the lesson plan"
}

// pointer encodes path tokens as a JSON Pointer.
func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		t = strings.ReplaceAll(t, "~", "~0")
		b.WriteString(strings.ReplaceAll(t, "/", "~1"))
	}
	return b.String()
}
