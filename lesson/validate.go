package lesson

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

//go:embed schema.json
var schemaJSON []byte

// SchemaJSON returns the lesson plan JSON schema the package validates
// against, extensions included. The caller may keep and change the slice.
func SchemaJSON() []byte { return bytes.Clone(schemaJSON) }

// schemaURL is the name the embedded schema is compiled under; it is never
// fetched.
const schemaURL = "mem://lesson/schema.json"

var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("read lesson plan schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("add lesson plan schema: %w", err)
	}
	sch, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("compile lesson plan schema: %w", err)
	}
	return sch, nil
})

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
func (p *Plan) Validate() error {
	if p == nil {
		return &ValidationError{Problems: []Problem{{Path: "/title", Message: "title is required"}}}
	}
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode lesson plan: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("decode lesson plan: %w", err)
	}
	probs, err := validateDoc(doc)
	if err != nil {
		return err
	}
	probs = append(probs, p.extraProblems(probs)...)
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

// validateDoc checks a decoded JSON document (numbers as json.Number) against
// the schema and turns the schema's findings into problems.
func validateDoc(doc any) ([]Problem, error) {
	sch, err := compiledSchema()
	if err != nil {
		return nil, err
	}
	probs := numberProblems(doc, nil)
	if len(probs) > 0 {
		// A number too large to compare is not handed to the validator,
		// which would spend unbounded time on it.
		return probs, nil
	}
	err = sch.Validate(doc)
	if err == nil {
		return nil, nil
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, fmt.Errorf("validate lesson plan: %w", err)
	}
	collectProblems(verr, &probs)
	return dedupProblems(probs), nil
}

// maxNumberLen bounds the text of a JSON number the package accepts. No field
// of a lesson plan needs more digits.
const maxNumberLen = 30

// numberProblems reports numbers whose text is too long to be a sensible
// value, such as 1e999999999.
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

// collectProblems walks the schema validator's tree of errors and keeps the
// leaves, the ones that say what is wrong.
func collectProblems(e *jsonschema.ValidationError, probs *[]Problem) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			collectProblems(c, probs)
		}
		return
	}
	loc := e.InstanceLocation
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		for _, m := range k.Missing {
			p := append(slices.Clip(loc), m)
			*probs = append(*probs, Problem{Path: pointer(p), Message: m + " is required"})
		}
	case *kind.AdditionalProperties:
		for _, name := range k.Properties {
			p := append(slices.Clip(loc), name)
			*probs = append(*probs, Problem{
				Path:    pointer(p),
				Message: fmt.Sprintf("unknown field %q", name),
			})
		}
	default:
		*probs = append(*probs, Problem{Path: pointer(loc), Message: kindMessage(loc, e.ErrorKind)})
	}
}

// kindMessage words one schema finding about the value at loc.
func kindMessage(loc []string, k jsonschema.ErrorKind) string {
	name := fieldName(loc)
	switch k := k.(type) {
	case *kind.Type:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = typeName(w)
		}
		msg := name + " must be " + strings.Join(want, " or ")
		if k.Got == "number" && slices.Contains(k.Want, "integer") {
			return msg
		}
		return msg + ", not " + typeName(k.Got)
	case *kind.Minimum:
		return name + " must be at least " + ratString(k.Want)
	case *kind.Maximum:
		return name + " must be at most " + ratString(k.Want)
	case *kind.MinLength:
		if k.Want == 1 {
			return name + " must not be empty"
		}
		return fmt.Sprintf("%s must be at least %d characters long", name, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("%s must be at most %d characters long, not %d", name, k.Want, k.Got)
	case *kind.Format:
		if k.Want == "date" {
			return name + " must be a date written as YYYY-MM-DD, such as 2026-09-15"
		}
		return name + " must be a valid " + k.Want
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return name + " must be one of " + strings.Join(want, ", ")
	}
	return name + " does not satisfy the schema's " + strings.Join(k.KeywordPath(), "/") + " rule"
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(2)
}

func typeName(t string) string {
	switch t {
	case "string":
		return "a string"
	case "integer":
		return "a whole number"
	case "number":
		return "a number"
	case "object":
		return "an object"
	case "array":
		return "a list"
	case "boolean":
		return "true or false"
	}
	return t
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

func dedupProblems(probs []Problem) []Problem {
	seen := make(map[Problem]bool, len(probs))
	out := probs[:0]
	for _, p := range probs {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
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
