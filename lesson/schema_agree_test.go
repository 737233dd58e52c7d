package lesson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// The tests in this file hold the hand-written schema rules to a JSON Schema
// library run over schema.json: the reference functions below check and read
// plans the way the package did while it used the library, and every document
// of the corpus must get the same plan or the same problems, path and message
// alike, from both. There are no intentional differences.

var refSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("read lesson plan schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "mem://lesson/schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("add lesson plan schema: %w", err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compile lesson plan schema: %w", err)
	}
	return sch, nil
})

// refParseJSON reads a plan by checking the decoded document with the
// library and decoding it into a Plan with encoding/json.
func refParseJSON(data []byte) (*Plan, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	doc, perr := decodeJSON(data)
	if perr != nil {
		return nil, &ValidationError{Problems: []Problem{*perr}}
	}
	probs, err := refValidateDoc(doc)
	if err != nil {
		return nil, err
	}
	if len(probs) > 0 {
		return nil, problemsError(probs)
	}
	norm, err := json.Marshal(refNormalizeNumbers(doc))
	if err != nil {
		return nil, fmt.Errorf("encode lesson plan: %w", err)
	}
	var p Plan
	if err := json.Unmarshal(norm, &p); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			var path []string
			if te.Field != "" {
				path = strings.Split(te.Field, ".")
			}
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

// refValidate checks a plan by checking its JSON form with the library.
func refValidate(p *Plan) error {
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
	probs, err := refValidateDoc(doc)
	if err != nil {
		return err
	}
	probs = append(probs, p.extraProblems(probs)...)
	return problemsError(probs)
}

func refValidateDoc(doc any) ([]Problem, error) {
	sch, err := refSchema()
	if err != nil {
		return nil, err
	}
	probs := numberProblems(doc, nil)
	if len(probs) > 0 {
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
	refCollect(verr, &probs)
	seen := make(map[Problem]bool, len(probs))
	out := probs[:0]
	for _, p := range probs {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out, nil
}

// refCollect keeps the leaves of the library's tree of errors.
func refCollect(e *jsonschema.ValidationError, probs *[]Problem) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			refCollect(c, probs)
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
			*probs = append(*probs, Problem{Path: pointer(p),
				Message: fmt.Sprintf("unknown field %q", name)})
		}
	default:
		*probs = append(*probs, Problem{Path: pointer(loc), Message: refMessage(loc, e.ErrorKind)})
	}
}

func refMessage(loc []string, k jsonschema.ErrorKind) string {
	name := fieldName(loc)
	switch k := k.(type) {
	case *kind.Type:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = refTypeName(w)
		}
		msg := name + " must be " + strings.Join(want, " or ")
		if k.Got == "number" && slices.Contains(k.Want, "integer") {
			return msg
		}
		return msg + ", not " + refTypeName(k.Got)
	case *kind.Minimum:
		return name + " must be at least " + refRat(k.Want)
	case *kind.Maximum:
		return name + " must be at most " + refRat(k.Want)
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

func refRat(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return r.FloatString(2)
}

func refTypeName(t string) string {
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

// refNormalizeNumbers rewrites every integral json.Number as a plain integer,
// which encoding/json needs to decode it into an int.
func refNormalizeNumbers(v any) any {
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
			v[k] = refNormalizeNumbers(e)
		}
	case []any:
		for i, e := range v {
			v[i] = refNormalizeNumbers(e)
		}
	}
	return v
}

// sameResult fails unless the package and the reference gave the same plan
// or the same problems.
func sameResult(t *testing.T, what string, got *Plan, gerr error, want *Plan, werr error) {
	t.Helper()
	var gve, wve *ValidationError
	if werr != nil && !errors.As(werr, &wve) {
		t.Fatalf("%s: reference failed: %v", what, werr)
	}
	if gerr != nil && !errors.As(gerr, &gve) {
		t.Fatalf("%s: error is not a *ValidationError: %v", what, gerr)
	}
	switch {
	case wve == nil && gve != nil:
		t.Fatalf("%s: problems %v, the library finds none", what, gve.Problems)
	case wve != nil && gve == nil:
		t.Fatalf("%s: no problems, the library finds %v", what, wve.Problems)
	case wve != nil && !reflect.DeepEqual(gve.Problems, wve.Problems):
		t.Fatalf("%s: problems\n got %q\nwant %q", what, gve.Problems, wve.Problems)
	case !reflect.DeepEqual(got, want):
		t.Fatalf("%s: plan\n got %#v\nwant %#v", what, got, want)
	}
}

func parseAgrees(t *testing.T, data []byte) {
	t.Helper()
	got, gerr := ParseJSON(data)
	want, werr := refParseJSON(data)
	sameResult(t, fmt.Sprintf("ParseJSON(%.300q)", data), got, gerr, want, werr)
}

func validateAgrees(t *testing.T, p *Plan) {
	t.Helper()
	gerr, werr := p.Validate(), refValidate(p)
	if gerr == nil && werr == nil {
		return
	}
	sameResult(t, fmt.Sprintf("Validate(%.300v)", p), nil, gerr, nil, werr)
}

// agreementInputs are hand-picked documents for the comparison, beside the
// examples and the variants made from them.
var agreementInputs = []string{
	`{"title": "", "foo": 1, "class_size": 0, "date": "2026-13-01",
		"tags": ["a", 3], "procedure": [{"name": "a", "minutes": 700},
		{"minutes": -1, "bar": true}, "x"], "sections": [{"heading": "h", "after": "nowhere"}],
		"metadata": [{"name": "n"}], "vocabulary": [{}], "duration_minutes": 2000}`,
	`{"subject": "English"}`,
	`{"title": " \u3000 "}`,
	`{"title": " ", "foo": 1}`,
	`{"title": " ", "class_size": 1e20}`,
	`[1]`, `"x"`, `null`, `true`, `3`, `{}`, "  ", `{"title":"a"} x`,
	"{\"title\": \"x\",\n  \"tags\": [1,]\n}", "{\"title\": \"x\",\n",
	`{"title":"a","class_size":1e999999999}`,
	`{"title":"a","foo":{"x":[1e999]},"bar":2}`,
	`{"title":"a","class_size":1e20}`,
	`{"title":"a","class_size":9223372036854775807}`,
	`{"title":"a","class_size":9223372036854775808}`,
	`{"title":"a","class_size":-9223372036854775809}`,
	`{"title":"a","class_size":0.00000000000000000000000001e26}`,
	`{"title":"a","duration_minutes":4.5}`,
	`{"title":"a","duration_minutes":4.5e1,"class_size":30.0}`,
	`{"title":"a","duration_minutes":-0,"class_size":-0.0}`,
	`{"title":"a","duration_minutes":1440.000,"class_size":1E1}`,
	`{"title":"a","procedure":[{"name":"s","steps":[{"name":"t","minutes":"5"}]}]}`,
	`{"title":"a","procedure":[{"name":"s","minutes":0,"steps":[]}]}`,
	`{"title":"a","procedure":[{"name":"s","minutes":6e2},{"name":"t","minutes":6.01e2}]}`,
	`{"title":"a","x/y~z":1}`,
	`{"title":"a","Title":"b"}`,
	`{"title":"a","title":"b"}`,
	`{"title":null,"subject":false,"tags":null,"analysis":[],"procedure":{}}`,
	`{"title":"a","analysis":{},"tags":[],"metadata":[],"sections":[]}`,
	`{"title":"a","analysis":{"material":1,"x":2}}`,
	`{"title":"a","sections":[{"heading":"h","body":"b","after":5}]}`,
	`{"title":"a","sections":[{"heading":"h","body":"b","after":""}]}`,
	`{"title":"a","sections":[{}, {"heading":1,"body":[]}]}`,
	`{"title":"a","metadata":[{"name":"Room","value":"301"},{"value":1},7]}`,
	`{"title":"a","grammar":[{"point":"p","examples":["e",{}]},{}]}`,
	`{"title":"a","vocabulary":[{"term":"t","meaning":null,"extra":1}]}`,
	`{"title":"a","date":"2024-02-29"}`, `{"title":"a","date":"2023-02-29"}`,
	`{"title":"a","date":"2026-9-15"}`, `{"title":"a","date":" 2026-09-15"}`,
	`{"title":"a","date":"2026-09-15T10:00:00Z"}`, `{"title":"a","date":""}`,
	`{"title":"a","date":"０２０２-09-15"}`, `{"title":"a","date":"+026-09-15"}`,
	`{"title":"` + strings.Repeat("é", 300) + `"}`,
	`{"title":"` + strings.Repeat("é", 301) + `"}`,
	`{"title":"` + strings.Repeat("🎉", 301) + `"}`,
	`{"title":"` + strings.Repeat("\xff", 301) + `"}`,
	`{"title":"` + strings.Repeat(" ", 301) + `"}`,
	"{\"title\":\"a\xffb\",\"subject\":\"\\ud800\"}",
	"\ufeff" + `{"title":"a"}`,
}

// exampleDocs returns the example plans as JSON documents: the JSON examples
// as they are and the Markdown ones as the package reads them.
func exampleDocs(t testing.TB) [][]byte {
	t.Helper()
	var docs [][]byte
	names, _ := filepath.Glob(filepath.Join("..", "testdata", "examples", "*"))
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		switch filepath.Ext(n) {
		case ".json":
			docs = append(docs, data)
		case ".md":
			p, err := ParseMarkdown(data)
			if err != nil {
				t.Fatalf("%s: %v", n, err)
			}
			out, err := json.Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, out)
		}
	}
	if len(docs) < 2 {
		t.Fatalf("found %d example plans", len(docs))
	}
	return docs
}

// replacements are the values every value of an example is replaced by in
// turn to make the variants.
var replacements = []any{
	nil, true, "", "x", " ", "title", "2026-02-28", "2026-02-30", strings.Repeat("長", 301),
	json.Number("0"), json.Number("-1"), json.Number("1"), json.Number("1.5"),
	json.Number("600"), json.Number("601"), json.Number("1440"), json.Number("1441"),
	json.Number("4.5e1"), json.Number("1e20"), json.Number("1e999"),
	[]any{}, []any{"s"}, []any{json.Number("1")}, []any{map[string]any{}},
	map[string]any{}, map[string]any{"zz": json.Number("1")},
}

// variants calls visit with every document made from doc by replacing one
// value with each of replacements, by dropping one object member or by
// adding an unknown one.
func variants(doc any, visit func(any)) {
	var walk func(v any, rebuild func(any) any)
	walk = func(v any, rebuild func(any) any) {
		for _, r := range replacements {
			visit(rebuild(r))
		}
		switch v := v.(type) {
		case map[string]any:
			visit(rebuild(withKey(v, "unknown", "x")))
			for k, e := range v {
				without := withKey(v, k, nil)
				delete(without, k)
				visit(rebuild(without))
				walk(e, func(ne any) any { return rebuild(withKey(v, k, ne)) })
			}
		case []any:
			for i, e := range v {
				walk(e, func(ne any) any {
					c := slices.Clone(v)
					c[i] = ne
					return rebuild(c)
				})
			}
		}
	}
	walk(doc, func(v any) any { return v })
}

// withKey returns a copy of m with k set to v.
func withKey(m map[string]any, k string, v any) map[string]any {
	c := make(map[string]any, len(m)+1)
	for mk, mv := range m {
		c[mk] = mv
	}
	c[k] = v
	return c
}

func TestParseJSONAgreesWithLibrary(t *testing.T) {
	for _, in := range agreementInputs {
		parseAgrees(t, []byte(in))
	}
	n := 0
	for _, data := range exampleDocs(t) {
		parseAgrees(t, data)
		doc, perr := decodeJSON(data)
		if perr != nil {
			t.Fatal(perr)
		}
		variants(doc, func(v any) {
			out, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			parseAgrees(t, out)
			n++
		})
	}
	if n < 1000 {
		t.Errorf("only %d variants", n)
	}
}

// planVariants are changes to a valid plan that Validate must judge as the
// library does.
var planVariants = []func(p *Plan){
	func(p *Plan) { p.Title = "" },
	func(p *Plan) { p.Title = " \t" },
	func(p *Plan) { p.Title = strings.Repeat("题", 300) },
	func(p *Plan) { p.Title = strings.Repeat("题", 301) },
	func(p *Plan) { p.Title = strings.Repeat(" ", 301) },
	func(p *Plan) { p.Title = strings.Repeat("\xe9", 301) },
	func(p *Plan) { p.Title = strings.Repeat("🎉", 299) + "\xe9\xe9" },
	func(p *Plan) { p.DurationMinutes = -1 },
	func(p *Plan) { p.DurationMinutes = 1 },
	func(p *Plan) { p.DurationMinutes = 1440 },
	func(p *Plan) { p.DurationMinutes = 1441 },
	func(p *Plan) { p.DurationMinutes = 1 << 62 },
	func(p *Plan) { p.ClassSize = -1 },
	func(p *Plan) { p.ClassSize = 1 },
	func(p *Plan) { p.ClassSize = -1 << 63 },
	func(p *Plan) { p.Date = "2024-02-29" },
	func(p *Plan) { p.Date = "2023-02-29" },
	func(p *Plan) { p.Date = "15/09/2026" },
	func(p *Plan) { p.Date = "2026-09-15 " },
	func(p *Plan) { p.Procedure = append(p.Procedure, Stage{Name: "n", Minutes: intp(-1)}) },
	func(p *Plan) { p.Procedure = append(p.Procedure, Stage{Minutes: intp(600)}) },
	func(p *Plan) {
		p.Procedure = append(p.Procedure, Stage{Name: "n", Steps: []Stage{
			{Minutes: intp(601)}, {Steps: []Stage{{Minutes: intp(0)}, {Minutes: intp(-5)}}}}})
	},
	func(p *Plan) { p.Procedure = []Stage{} },
	func(p *Plan) { p.Sections = append(p.Sections, Section{After: "preface"}) },
	func(p *Plan) { p.Sections = append(p.Sections, Section{After: "homework"}) },
	func(p *Plan) { p.Sections = append(p.Sections, Section{After: "Homework"}) },
	func(p *Plan) { p.Metadata = append(p.Metadata, Field{}) },
	func(p *Plan) { p.Vocabulary = append(p.Vocabulary, Term{}) },
	func(p *Plan) { p.Grammar = append(p.Grammar, Grammar{Examples: []string{""}}) },
	func(p *Plan) { p.Analysis = &Analysis{} },
	func(p *Plan) { p.Tags = []string{"", "\x00"} },
}

func TestValidateAgreesWithLibrary(t *testing.T) {
	validateAgrees(t, nil)
	validateAgrees(t, &Plan{})
	for _, data := range exampleDocs(t) {
		for i, change := range planVariants {
			p, err := ParseJSON(data)
			if err != nil {
				t.Fatal(err)
			}
			validateAgrees(t, p)
			change(p)
			t.Run(strconv.Itoa(i), func(t *testing.T) { validateAgrees(t, p) })
			// Two changes at once.
			planVariants[(i+7)%len(planVariants)](p)
			t.Run(strconv.Itoa(i)+"+", func(t *testing.T) { validateAgrees(t, p) })
		}
	}
	for _, tc := range markdownCases {
		if p, err := ParseMarkdown([]byte(tc.in)); err == nil {
			validateAgrees(t, p)
		}
	}
}

func FuzzParseJSONAgreesWithLibrary(f *testing.F) {
	for _, d := range exampleDocs(f) {
		f.Add(d)
	}
	for _, in := range agreementInputs {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		parseAgrees(t, data)
	})
}

func FuzzValidateAgreesWithLibrary(f *testing.F) {
	f.Add("Weather", "2026-09-15", "", 45, 30, 5, 0)
	f.Add(" ", "2026-02-30", "preface", -1, 0, 601, -1)
	f.Add(strings.Repeat("é", 301), "x", "homework", 1441, -5, -1, 600)
	f.Fuzz(func(t *testing.T, title, date, after string, duration, size, minutes, step int) {
		p := &Plan{Title: title, Date: date, DurationMinutes: duration, ClassSize: size,
			Tags: []string{title}, Sections: []Section{{Heading: title, After: after}},
			Procedure: []Stage{{Name: title, Minutes: &minutes,
				Steps: []Stage{{Minutes: &step}}}}}
		validateAgrees(t, p)
	})
}

// TestSchemaRulesMirrorSchemaJSON reads schema.json into schema nodes and
// compares them with the package's rules, so that a change to either without
// the other fails. It refuses keywords the rules do not know.
func TestSchemaRulesMirrorSchemaJSON(t *testing.T) {
	var root map[string]any
	dec := json.NewDecoder(bytes.NewReader(schemaJSON))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		t.Fatal(err)
	}
	defs, _ := root["$defs"].(map[string]any)
	refs := map[string]*schemaNode{}
	var conv func(where string, s map[string]any) *schemaNode
	conv = func(where string, s map[string]any) *schemaNode {
		if ref, ok := s["$ref"].(string); ok {
			name, ok := strings.CutPrefix(ref, "#/$defs/")
			def, _ := defs[name].(map[string]any)
			if !ok || def == nil {
				t.Fatalf("%s: $ref %q", where, ref)
			}
			for k := range s {
				if k != "$ref" && k != "description" {
					t.Errorf("%s: %s beside $ref", where, k)
				}
			}
			if n := refs[name]; n != nil {
				return n
			}
			n := &schemaNode{}
			refs[name] = n
			// A $ref inside the definition gets n, filled in here.
			*n = *conv("$defs/"+name, def)
			return n
		}
		n := &schemaNode{}
		for k, v := range s {
			switch k {
			case "$schema", "$id", "$defs", "title", "description", "examples", "default":
			case "type":
				switch v {
				case "string":
					n.typ = typeString
				case "integer":
					n.typ = typeInteger
				case "array":
					n.typ = typeArray
				case "object":
					n.typ = typeObject
				default:
					t.Errorf("%s: type %v", where, v)
				}
			case "minLength", "maxLength", "minimum", "maximum":
				i, err := strconv.ParseInt(fmt.Sprint(v), 10, 64)
				if err != nil {
					t.Errorf("%s: %s %v", where, k, v)
				}
				switch k {
				case "minLength":
					n.minLength = int(i)
				case "maxLength":
					n.maxLength = int(i)
				case "minimum":
					n.hasMin, n.min = true, i
				case "maximum":
					n.hasMax, n.max = true, i
				}
			case "format":
				if v != "date" {
					t.Errorf("%s: format %v", where, v)
				}
				n.format = "date"
			case "enum":
				for _, e := range v.([]any) {
					s, ok := e.(string)
					if !ok {
						t.Errorf("%s: enum value %v", where, e)
					}
					n.enum = append(n.enum, s)
				}
			case "items":
				n.items = conv(where+"/items", v.(map[string]any))
			case "properties":
				n.props = map[string]*schemaNode{}
				for pk, pv := range v.(map[string]any) {
					n.props[pk] = conv(where+"/"+pk, pv.(map[string]any))
				}
			case "required":
				for _, r := range v.([]any) {
					n.required = append(n.required, r.(string))
				}
			case "additionalProperties":
				if v != false {
					t.Errorf("%s: additionalProperties %v", where, v)
				}
			default:
				t.Errorf("%s: keyword %s has no rule", where, k)
			}
		}
		if n.typ == typeObject && s["additionalProperties"] != false {
			t.Errorf("%s: object without additionalProperties false", where)
		}
		if n.typ == 0 {
			t.Errorf("%s: no type", where)
		}
		return n
	}
	want := conv("", root)
	sameNode(t, "", lessonSchema(), want, map[*schemaNode]bool{})
}

// sameNode compares two trees of schema nodes, following each shared node
// once.
func sameNode(t *testing.T, where string, got, want *schemaNode, seen map[*schemaNode]bool) {
	t.Helper()
	if got == nil || want == nil {
		if got != want {
			t.Errorf("%s: got %v, want %v", where, got, want)
		}
		return
	}
	if seen[got] {
		return
	}
	seen[got] = true
	g, w := *got, *want
	g.items, g.props, w.items, w.props = nil, nil, nil, nil
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s: rules\n got %+v\nwant %+v (schema.json)", where, g, w)
	}
	sameNode(t, where+"/items", got.items, want.items, seen)
	keys := map[string]bool{}
	for k := range got.props {
		keys[k] = true
	}
	for k := range want.props {
		keys[k] = true
	}
	for k := range keys {
		sameNode(t, where+"/"+k, got.props[k], want.props[k], seen)
	}
}
