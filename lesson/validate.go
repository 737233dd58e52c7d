package lesson

import (
	"bytes"
	_ "embed"
	"slices"
	"strconv"
	"strings"
	"sync"
)

//go:embed schema.json
var schemaJSON []byte

// SchemaJSON returns the lesson plan JSON schema the package validates
// against, extensions included. The caller may keep and change the slice.
func SchemaJSON() []byte { return bytes.Clone(schemaJSON) }

// The package checks plans against schema.json with the hand-written rules in
// schema.go rather than with a general JSON Schema library: such a library's
// package start-up and schema compilation cost about 7 ms of a 13 ms
// conversion, and its generic walk of a large plan held much memory. A test
// runs a JSON Schema library over schema.json beside these rules and asserts
// that both find the same problems, and another asserts that the rules mirror
// every keyword of schema.json; a change to schema.json needs a change to
// lessonSchema too.

// Problem is one thing wrong with a lesson plan. Path is a JSON Pointer
// (RFC 6901) to the offending value, such as "/procedure/2/minutes"; an empty
// Path means the document as a whole. Message says in plain English what is
// wrong, naming the field.
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

// String returns the problem as "path: message", or the message alone when it
// concerns the whole document.
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// ValidationError reports every problem found in a lesson plan at once. The
// parsers and Validate return it for input that is not a valid lesson plan;
// any other error they return is a fault of the caller or the package.
type ValidationError struct {
	Problems []Problem
}

// Error joins the problems into one line.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	if len(parts) == 0 {
		return "invalid lesson plan"
	}
	return "invalid lesson plan: " + strings.Join(parts, "; ")
}

// Validate checks the plan against the lesson plan schema and checks that its
// title is not blank. It returns a *ValidationError listing every problem, or
// nil when the plan is valid.
//
// It checks the plan as its JSON form would be checked: a field that the JSON
// form leaves out when empty, such as a zero DurationMinutes or a nil
// Minutes, is not checked.
func (p *Plan) Validate() error {
	if p == nil {
		return &ValidationError{Problems: []Problem{{Path: "/title", Message: "title is required"}}}
	}
	c := &checker{}
	c.plan(lessonSchema(), p)
	probs := append(c.probs, p.extraProblems(c.probs)...)
	return problemsError(probs)
}

// extraProblems checks what the schema cannot say. It skips a check whose
// path already has a problem.
func (p *Plan) extraProblems(have []Problem) []Problem {
	var probs []Problem
	if p.Title != "" && strings.TrimSpace(p.Title) == "" && !hasPath(have, "/title") {
		probs = append(probs, Problem{Path: "/title", Message: "title must not be blank"})
	}
	return probs
}

// plan checks the fields of a Plan against the schema of the whole document.
func (c *checker) plan(s *schemaNode, p *Plan) {
	c.str(s, "id", p.ID, true)
	c.str(s, "title", p.Title, false)
	c.str(s, "subject", p.Subject, true)
	c.str(s, "level", p.Level, true)
	c.str(s, "language", p.Language, true)
	c.str(s, "textbook", p.Textbook, true)
	c.str(s, "unit", p.Unit, true)
	c.int(s, "duration_minutes", p.DurationMinutes)
	c.int(s, "class_size", p.ClassSize)
	c.str(s, "teacher", p.Teacher, true)
	c.str(s, "school", p.School, true)
	c.str(s, "date", p.Date, true)
	c.strs(s, "tags", p.Tags)
	if len(p.Metadata) > 0 {
		c.list(s, "metadata", len(p.Metadata), func(item *schemaNode, i int) {
			c.str(item, "name", p.Metadata[i].Name, false)
			c.str(item, "value", p.Metadata[i].Value, false)
		})
	}
	c.str(s, "preface", p.Preface, true)
	if a := p.Analysis; a != nil {
		c.push("analysis")
		as := s.props["analysis"]
		c.str(as, "material", a.Material, true)
		c.str(as, "students", a.Students, true)
		c.pop()
	}
	c.strs(s, "objectives", p.Objectives)
	c.strs(s, "key_points", p.KeyPoints)
	c.strs(s, "difficulties", p.Difficulties)
	c.strs(s, "materials", p.Materials)
	if len(p.Vocabulary) > 0 {
		c.list(s, "vocabulary", len(p.Vocabulary), func(item *schemaNode, i int) {
			t := &p.Vocabulary[i]
			c.str(item, "term", t.Term, false)
			c.str(item, "part_of_speech", t.PartOfSpeech, true)
			c.str(item, "phonetic", t.Phonetic, true)
			c.str(item, "meaning", t.Meaning, true)
			c.str(item, "example", t.Example, true)
		})
	}
	if len(p.Grammar) > 0 {
		c.list(s, "grammar", len(p.Grammar), func(item *schemaNode, i int) {
			g := &p.Grammar[i]
			c.str(item, "point", g.Point, false)
			c.str(item, "explanation", g.Explanation, true)
			c.strs(item, "examples", g.Examples)
		})
	}
	c.stages(s, "procedure", p.Procedure)
	c.str(s, "board_design", p.BoardDesign, true)
	c.strs(s, "homework", p.Homework)
	c.str(s, "assessment", p.Assessment, true)
	c.str(s, "reflection", p.Reflection, true)
	if len(p.Sections) > 0 {
		c.list(s, "sections", len(p.Sections), func(item *schemaNode, i int) {
			sec := &p.Sections[i]
			c.str(item, "heading", sec.Heading, false)
			c.str(item, "body", sec.Body, false)
			c.str(item, "after", sec.After, true)
		})
	}
}

// stages checks a list of stages under the key of the object schema s, sub-
// steps included. An empty list is left out of the JSON form and not checked.
func (c *checker) stages(s *schemaNode, key string, stages []Stage) {
	if len(stages) == 0 {
		return
	}
	c.list(s, key, len(stages), func(item *schemaNode, i int) {
		st := &stages[i]
		c.str(item, "name", st.Name, false)
		if st.Minutes != nil {
			c.push("minutes")
			c.integer(item.props["minutes"], int64(*st.Minutes))
			c.pop()
		}
		c.str(item, "interaction", st.Interaction, true)
		c.str(item, "teacher", st.Teacher, true)
		c.str(item, "students", st.Students, true)
		c.str(item, "purpose", st.Purpose, true)
		c.str(item, "content", st.Content, true)
		c.stages(item, "steps", st.Steps)
	})
}

// str checks the string field key of the object schema s. With omitEmpty an
// empty value is left out of the JSON form and not checked.
func (c *checker) str(s *schemaNode, key, v string, omitEmpty bool) {
	if omitEmpty && v == "" {
		return
	}
	c.push(key)
	c.stringValue(s.props[key], v)
	c.pop()
}

// int checks the integer field key of the object schema s; zero is left out
// of the JSON form and not checked.
func (c *checker) int(s *schemaNode, key string, v int) {
	if v == 0 {
		return
	}
	c.push(key)
	c.integer(s.props[key], int64(v))
	c.pop()
}

// strs checks the list of strings under key of the object schema s; an empty
// list is left out of the JSON form and not checked.
func (c *checker) strs(s *schemaNode, key string, v []string) {
	if len(v) == 0 {
		return
	}
	c.list(s, key, len(v), func(item *schemaNode, i int) {
		c.push(strconv.Itoa(i))
		c.stringValue(item, v[i])
		c.pop()
	})
}

// list calls each for every index of the list under key of the object schema
// s, with the schema of the list's items and the index on the path.
func (c *checker) list(s *schemaNode, key string, n int, each func(item *schemaNode, i int)) {
	item := s.props[key].items
	c.push(key)
	for i := range n {
		c.push(strconv.Itoa(i))
		each(item, i)
		c.pop()
	}
	c.pop()
}

func hasPath(probs []Problem, path string) bool {
	for _, p := range probs {
		if p.Path == path {
			return true
		}
	}
	return false
}

// problemsError returns nil for no problems and a *ValidationError with the
// problems sorted by path otherwise.
func problemsError(probs []Problem) error {
	if len(probs) == 0 {
		return nil
	}
	sortProblems(probs)
	return &ValidationError{Problems: probs}
}

// sortProblems orders problems by path, comparing list indexes as numbers,
// so that the order does not depend on map iteration.
func sortProblems(probs []Problem) {
	slices.SortStableFunc(probs, func(a, b Problem) int {
		if c := comparePointers(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Message, b.Message)
	})
}

func comparePointers(a, b string) int {
	at, bt := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(at) && i < len(bt); i++ {
		if at[i] == bt[i] {
			continue
		}
		an, aerr := strconv.Atoi(at[i])
		bn, berr := strconv.Atoi(bt[i])
		if aerr == nil && berr == nil {
			return an - bn
		}
		return strings.Compare(at[i], bt[i])
	}
	return len(at) - len(bt)
}

// lessonSchema returns the rules of schema.json, built once.
var lessonSchema = sync.OnceValue(buildLessonSchema)
