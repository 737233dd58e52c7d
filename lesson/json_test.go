package lesson

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseJSONMyFamily(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "examples", "my-family.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseJSON(data)
	if err != nil {
		t.Fatalf("ParseJSON: %v", err)
	}
	eq(t, "title", p.Title, "Unit 3 My Family 我的家人")
	eq(t, "subject", p.Subject, "English")
	eq(t, "level", p.Level, "A1 / 七年级上册")
	eq(t, "language", p.Language, "zh-CN")
	eq(t, "chinese", p.Chinese(), true)
	eq(t, "textbook", p.Textbook, "Junior English, Book 1")
	eq(t, "unit", p.Unit, "Unit 3")
	eq(t, "duration", p.DurationMinutes, 45)
	eq(t, "class size", p.ClassSize, 42)
	eq(t, "teacher", p.Teacher, "Wang Fang")
	eq(t, "school", p.School, "No. 12 Middle School")
	eq(t, "date", p.Date, "2026-09-15")
	eq(t, "tags", p.Tags, []string{"family", "possessives", "speaking"})
	if p.Analysis == nil || !strings.HasPrefix(p.Analysis.Material, "本课围绕家庭成员展开") ||
		!strings.Contains(p.Analysis.Students, "**his / her**") {
		t.Errorf("analysis = %+v", p.Analysis)
	}
	eq(t, "objectives", len(p.Objectives), 3)
	eq(t, "objective 3", p.Objectives[2], "学生能够正确使用物主代词 his / her。")
	eq(t, "key points", p.KeyPoints, []string{"家庭成员词汇的读音与拼写",
		"句型 This is my ... / These are my ..."})
	eq(t, "difficulties", len(p.Difficulties), 2)
	eq(t, "materials", p.Materials, []string{"家庭照片（学生自带）", "PPT 课件与单词卡片", "Worksheet 3A（见附件）"})
	eq(t, "vocabulary", p.Vocabulary[1], Term{Term: "cousin", PartOfSpeech: "n.",
		Phonetic: "/ˈkʌz(ə)n/", Meaning: "堂（表）兄弟姐妹", Example: "Is she your cousin?"})
	eq(t, "vocabulary size", len(p.Vocabulary), 3)
	eq(t, "grammar", p.Grammar, []Grammar{{Point: "This is / These are",
		Explanation: "单数名词用 **This is**，复数名词用 **These are**。",
		Examples:    []string{"This is my sister.", "These are my brothers."}}})
	var names []string
	var mins []int
	for _, s := range p.Procedure {
		names = append(names, s.Name)
		mins = append(mins, *s.Minutes)
	}
	eq(t, "stage names", names, []string{"Warm-up 热身", "Presentation 新授", "Practice 操练",
		"Production 输出", "Summary 小结"})
	eq(t, "stage minutes", mins, []int{5, 12, 15, 10, 3})
	eq(t, "stage 1", p.Procedure[0], Stage{Name: "Warm-up 热身", Minutes: intp(5),
		Interaction: "T-Ss", Teacher: "播放歌曲 *The Family Song*，展示自己的家庭照片。",
		Students: "跟唱并猜测照片中的人物关系。", Purpose: "激活已有知识，营造轻松氛围。"})
	eq(t, "steps", len(p.Procedure[1].Steps), 2)
	eq(t, "step 2", p.Procedure[1].Steps[1].Content,
		"| Singular | Plural |\n|---|---|\n| This is my brother. | These are my brothers. |")
	eq(t, "summary interaction", p.Procedure[4].Interaction, "")
	if !strings.HasPrefix(p.BoardDesign, "        Unit 3  My Family\n ┌") ||
		!strings.HasSuffix(p.BoardDesign, "┘") {
		t.Errorf("board design = %q", p.BoardDesign)
	}
	eq(t, "homework", len(p.Homework), 3)
	eq(t, "assessment", p.Assessment, "Exit ticket: students write two sentences about a "+
		"family photo; 80% accuracy expected.")
	eq(t, "reflection", p.Reflection, "学生对 *These are* 的掌握比预期好；下次可以增加 his / her 的听力辨析练习。")
	eq(t, "sections", len(p.Sections), 0)

	// Everything in the file is in the plan: encoding it again gives the
	// same document.
	var a, b any
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(p)
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("round trip differs:\n%s", out)
	}
}

func TestParseJSONReportsEveryProblem(t *testing.T) {
	in := `{"title": "", "foo": 1, "class_size": 0, "date": "2026-13-01",
		"tags": ["a", 3], "procedure": [{"name": "a", "minutes": 700},
		{"minutes": -1, "bar": true}, "x"], "sections": [{"heading": "h", "after": "nowhere"}],
		"metadata": [{"name": "n"}], "vocabulary": [{}], "duration_minutes": 2000}`
	_, err := ParseJSON([]byte(in))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	want := []Problem{
		{"/class_size", "class_size must be at least 1"},
		{"/date", "date must be a date written as YYYY-MM-DD, such as 2026-09-15"},
		{"/duration_minutes", "duration_minutes must be at most 1440"},
		{"/foo", `unknown field "foo"`},
		{"/metadata/0/value", "value is required"},
		{"/procedure/0/minutes", "minutes must be at most 600"},
		{"/procedure/1/bar", `unknown field "bar"`},
		{"/procedure/1/minutes", "minutes must be at least 0"},
		{"/procedure/1/name", "name is required"},
		{"/procedure/2", "each entry of procedure must be an object, not a string"},
		{"/sections/0/after", "after must be one of title, analysis, objectives, key_points, " +
			"difficulties, materials, vocabulary, grammar, procedure, board_design, homework, " +
			"assessment, reflection"},
		{"/sections/0/body", "body is required"},
		{"/tags/1", "each entry of tags must be a string, not a number"},
		{"/title", "title must not be empty"},
		{"/vocabulary/0/term", "term is required"},
	}
	eq(t, "problems", ve.Problems, want)
}

func TestParseJSONProblems(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Problem
	}{
		{"missing title", `{"subject": "English"}`, []Problem{{"/title", "title is required"}}},
		{"blank title", `{"title": " \u3000 "}`, []Problem{{"/title", "title must not be blank"}}},
		{"not an object", `[1]`, []Problem{{"", "the lesson plan must be an object, not a list"}}},
		{"empty input", "  ", []Problem{{"", "malformed JSON: the input is empty"}}},
		{"syntax error", "{\"title\": \"x\",\n  \"tags\": [1,]\n}", []Problem{{"",
			"malformed JSON at line 2, column 14: " +
				"invalid character ']' looking for beginning of value"}}},
		{"truncated", "{\"title\": \"x\",\n", []Problem{{"",
			"malformed JSON at line 2, column 1: unexpected end of input"}}},
		{"trailing text", `{"title":"a"} x`, []Problem{{"",
			"malformed JSON at line 1, column 15: unexpected text after the lesson plan"}}},
		{"huge number", `{"title":"a","class_size":1e999999999}`, []Problem{{"/class_size",
			"class_size is too large a number"}}},
		{"number beyond int", `{"title":"a","class_size":1e20}`, []Problem{{"/class_size",
			"class_size is out of range"}}},
		{"fraction", `{"title":"a","duration_minutes":4.5}`, []Problem{{"/duration_minutes",
			"duration_minutes must be a whole number"}}},
		{"deep path",
			`{"title":"a","procedure":[{"name":"s","steps":[{"name":"t","minutes":"5"}]}]}`,
			[]Problem{{"/procedure/0/steps/0/minutes",
				"minutes must be a whole number, not a string"}}},
		{"slash in key", `{"title":"a","x/y~z":1}`,
			[]Problem{{"/x~1y~0z", `unknown field "x/y~z"`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseJSON([]byte(tc.in))
			var ve *ValidationError
			if !errors.As(err, &ve) || p != nil {
				t.Fatalf("ParseJSON = %v, %v", p, err)
			}
			eq(t, "problems", ve.Problems, tc.want)
		})
	}
}

func TestParseJSONAccepts(t *testing.T) {
	tests := []struct {
		name, in string
		check    func(t *testing.T, p *Plan)
	}{
		{"integral floats", "\ufeff" + `{"title":"a","duration_minutes":4.5e1,"class_size":30.0}`,
			func(t *testing.T, p *Plan) {
				eq(t, "duration", p.DurationMinutes, 45)
				eq(t, "class size", p.ClassSize, 30)
			}},
		{"zero minutes stay visible", `{"title":"a","procedure":[{"name":"s","minutes":0}]}`,
			func(t *testing.T, p *Plan) { eq(t, "minutes", p.Procedure[0].Minutes, intp(0)) }},
		{"extensions", `{"title":"a","preface":"p","metadata":[{"name":"Room","value":"301"}],` +
			`"sections":[{"heading":"h","body":"b","after":"objectives"}]}`,
			func(t *testing.T, p *Plan) {
				eq(t, "preface", p.Preface, "p")
				eq(t, "metadata", p.Metadata, []Field{{"Room", "301"}})
				eq(t, "sections", p.Sections, []Section{{"h", "b", "objectives"}})
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseJSON([]byte(tc.in))
			if err != nil {
				t.Fatalf("ParseJSON: %v", err)
			}
			tc.check(t, p)
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		plan *Plan
		want []Problem
	}{
		{"valid", &Plan{Title: "T", Procedure: []Stage{{Name: "a", Minutes: intp(0)}}}, nil},
		{"nil plan", nil, []Problem{{"/title", "title is required"}}},
		{"many problems", &Plan{
			Title:           "   ",
			DurationMinutes: -5,
			ClassSize:       -1,
			Date:            "15/09/2026",
			Procedure: []Stage{{Name: "a", Minutes: intp(601)},
				{Name: "b", Steps: []Stage{{Name: "c", Minutes: intp(-1)}}}},
			Sections: []Section{{Heading: "h", After: "preface"}},
		}, []Problem{
			{"/class_size", "class_size must be at least 1"},
			{"/date", "date must be a date written as YYYY-MM-DD, such as 2026-09-15"},
			{"/duration_minutes", "duration_minutes must be at least 1"},
			{"/procedure/0/minutes", "minutes must be at most 600"},
			{"/procedure/1/steps/0/minutes", "minutes must be at least 0"},
			{"/sections/0/after", "after must be one of title, analysis, objectives, key_points, " +
				"difficulties, materials, vocabulary, grammar, procedure, board_design, " +
				"homework, assessment, reflection"},
			{"/title", "title must not be blank"},
		}},
		{"empty title", &Plan{}, []Problem{{"/title", "title must not be empty"}}},
		{"long title", &Plan{Title: strings.Repeat("é", 301)},
			[]Problem{{"/title", "title must be at most 300 characters long, not 301"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.plan.Validate()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v", err)
			}
			eq(t, "problems", ve.Problems, tc.want)
		})
	}
}

func TestValidationErrorMessage(t *testing.T) {
	err := &ValidationError{Problems: []Problem{
		{"", "malformed JSON"}, {"/title", "title is required"}}}
	eq(t, "message", err.Error(), "invalid lesson plan: malformed JSON; /title: title is required")
}

func TestSchemaJSONHasExtensions(t *testing.T) {
	var s struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(SchemaJSON(), &s); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"metadata", "preface", "sections"} {
		if _, ok := s.Properties[k]; !ok {
			t.Errorf("schema has no %s", k)
		}
	}
	if !strings.Contains(string(s.Properties["sections"]), `"after"`) {
		t.Error("sections items have no after")
	}
}
