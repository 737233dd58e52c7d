package lesson

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func intp(n int) *int { return &n }

func TestParseMarkdownWeatherForecast(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "examples", "weather-forecast.md"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseMarkdown(data)
	if err != nil {
		t.Fatalf("ParseMarkdown: %v", err)
	}
	want := &Plan{
		Title:           "Reading the Weather Forecast",
		Subject:         "English",
		Level:           "B1",
		Language:        "en",
		DurationMinutes: 50,
		ClassSize:       28,
		Teacher:         "Li Ming",
		Tags:            []string{"weather", "future forms", "listening"},
		Objectives: []string{
			"Understand the main points of a radio weather forecast.",
			"Use *will* and *be going to* to talk about predictions.",
			"Describe the weather with at least six new adjectives.",
		},
		Materials: []string{
			"Audio track: a two-minute city forecast",
			"Handout with a blank weather map",
			"Coloured markers",
		},
		Vocabulary: []Term{
			{Term: "drizzle", PartOfSpeech: "n.", Meaning: "light rain"},
			{Term: "humid", PartOfSpeech: "adj.", Meaning: "warm and damp"},
			{Term: "overcast", PartOfSpeech: "adj.", Meaning: "covered with grey cloud"},
			{Term: "gust", PartOfSpeech: "n.", Meaning: "a sudden strong wind"},
		},
		Procedure: []Stage{
			{Name: "Lead-in", Minutes: intp(5), Content: "Show three photos of different " +
				"skies. Students say what the weather *is going to* be like."},
			{Name: "Listening for gist", Minutes: intp(10), Content: "1. Play the forecast " +
				"once.\n2. Students tick the cities they hear on the map.\n3. Check answers " +
				"in pairs, then as a class."},
			{Name: "Listening for detail", Minutes: intp(15), Content: "Play the track " +
				"again. Students fill in temperatures and symbols.\n\n> Tip: pause after " +
				"each city so weaker listeners can catch up."},
			{Name: "Speaking: your own forecast", Minutes: intp(15), Content: "In groups of " +
				"four, students prepare a 60-second forecast for their home town and " +
				"present it."},
			{Name: "Wrap-up", Minutes: intp(5), Content: "Vote for the clearest forecast; " +
				"review *will* vs *be going to* on the board."},
		},
		BoardDesign: " will            | be going to\n" +
			"-----------------+-------------------------\n" +
			" prediction      | prediction with evidence\n" +
			" \"It will rain.\" | \"Look at the clouds! It's going to rain.\"",
		Homework: []string{
			"Watch tonight's forecast and write five sentences about tomorrow.",
			"Learn the four new words.",
		},
		Reflection: "Leave space here for notes after the lesson.",
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("plan differs\n got %+v\nwant %+v", p, want)
	}
	var mins []int
	for _, s := range p.Procedure {
		mins = append(mins, *s.Minutes)
	}
	if !reflect.DeepEqual(mins, []int{5, 10, 15, 15, 5}) {
		t.Errorf("stage minutes = %v", mins)
	}
}

// markdownCase is one Markdown input and what its import must give: either
// check passes on the plan, or the error's problems contain each of problems.
type markdownCase struct {
	name     string
	in       string
	check    func(t *testing.T, p *Plan)
	problems []string
}

var markdownCases = []markdownCase{
	{
		name: "chinese headings and fullwidth timings",
		in: "# 我的家人\n\n## 一、教学目标\n\n- 认识家庭成员\n\n## （二）教学重点：\n\n- 句型\n\n" +
			"## 3. 教学难点\n\nhis / her\n\n## 教学过程\n\n### 热身（5分钟）\n\n唱歌\n\n" +
			"### 新授 (12 分钟)\n\n#### 词汇 - 6'\n\n卡片\n\n## 板书设计\n\n```\n家\n```\n\n" +
			"## 课后作业\n\n1. 抄写\n\n## 教学反思\n\n好\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "language", p.Language, "zh-CN")
			eq(t, "objectives", p.Objectives, []string{"认识家庭成员"})
			eq(t, "key points", p.KeyPoints, []string{"句型"})
			eq(t, "difficulties", p.Difficulties, []string{"his / her"})
			eq(t, "procedure", p.Procedure, []Stage{
				{Name: "热身", Minutes: intp(5), Content: "唱歌"},
				{Name: "新授", Minutes: intp(12), Steps: []Stage{
					{Name: "词汇", Minutes: intp(6), Content: "卡片"},
				}},
			})
			eq(t, "board", p.BoardDesign, "家")
			eq(t, "homework", p.Homework, []string{"抄写"})
			eq(t, "reflection", p.Reflection, "好")
			eq(t, "sections", len(p.Sections), 0)
		},
	},
	{
		name: "english timing forms",
		in: "# T\n\n## Teaching procedure\n\n### A (10 minutes)\n\n### B (10 min)\n\n" +
			"### C (10 mins)\n\n### D - 5'\n\n### E（5分钟）\n\n### F\n",
		check: func(t *testing.T, p *Plan) {
			var got []string
			for _, s := range p.Procedure {
				m := "-"
				if s.Minutes != nil {
					m = strings.Repeat("|", *s.Minutes)
				}
				got = append(got, s.Name+":"+m)
			}
			eq(t, "stages", got, []string{"A:||||||||||", "B:||||||||||", "C:||||||||||",
				"D:|||||", "E:|||||", "F:-"})
		},
	},
	{
		name: "unknown headings stay in place",
		in: "# T\n\n### Early note\n\nx\n\n## Objectives\n\n- o\n\n## Warm feelings\n\n" +
			"Body with *markdown*.\n\n### Inner\n\ny\n\n## Homework\n\n- h\n\n# Appendix\n\nz\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "sections", p.Sections, []Section{
				{Heading: "Early note", Body: "x", After: "title"},
				{Heading: "Warm feelings", Body: "Body with *markdown*.\n\n### Inner\n\ny",
					After: "objectives"},
				{Heading: "Appendix", Body: "z", After: "homework"},
			})
		},
	},
	{
		name: "text before the first heading is the preface",
		in:   "Printed for the open class.\n\n# T\n\nA short *note*.\n\n## Objectives\n\n- o\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "title", p.Title, "T")
			eq(t, "preface", p.Preface, "Printed for the open class.\n\nA short *note*.")
		},
	},
	{
		name: "unknown front matter keys keep their order",
		in: "---\ntitle: Weather\nroom: 301\nco-teachers: [Ann, Bob]\nnotes:\n  a: 1\n" +
			"duration: 45 minutes\ntags: rain, wind\nempty:\n---\n\n## Objectives\n\n- o\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "title", p.Title, "Weather")
			eq(t, "duration", p.DurationMinutes, 45)
			eq(t, "tags", p.Tags, []string{"rain", "wind"})
			eq(t, "metadata", p.Metadata, []Field{
				{Name: "room", Value: "301"}, {Name: "co-teachers", Value: "Ann, Bob"},
				{Name: "notes", Value: "a: 1"}, {Name: "empty", Value: ""},
			})
		},
	},
	{
		name: "duration forms",
		in:   "---\nduration_minutes: \"45分钟\"\nclass_size: 40人\ndate: 2026年9月1日\n---\n# T\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "duration", p.DurationMinutes, 45)
			eq(t, "class size", p.ClassSize, 40)
			eq(t, "date", p.Date, "2026-09-01")
		},
	},
	{
		name: "no front matter",
		in:   "# Plain\n\n## Materials\n\n- chalk\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "title", p.Title, "Plain")
			eq(t, "materials", p.Materials, []string{"chalk"})
			eq(t, "language", p.Language, "en")
			eq(t, "metadata", len(p.Metadata), 0)
		},
	},
	{
		name:     "empty file",
		in:       "",
		problems: []string{"title is required"},
	},
	{
		name:     "blank file",
		in:       "\n  \n\t\n",
		problems: []string{"title is required"},
	},
	{
		name: "headings only",
		in:   "# Only headings\n## Objectives\n## Procedure\n## Reflection\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "sections", p.Sections, []Section{
				{Heading: "Objectives", After: "title"},
				{Heading: "Procedure", After: "title"},
				{Heading: "Reflection", After: "title"},
			})
			eq(t, "procedure", len(p.Procedure), 0)
		},
	},
	{
		name: "deeply nested lists stay inside their item",
		in:   "# T\n\n## Objectives\n\n- a\n  - b\n    - c\n      1. d\n         - e\n- f\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "objectives", p.Objectives,
				[]string{"a\n- b\n  - c\n    1. d\n       - e", "f"})
		},
	},
	{
		name: "fill-in blanks are kept literally",
		in: "# T\n\n## Homework\n\n1. I ____ (go) to school.\n2. She __ __ late.\n\n" +
			"Write ____ words.\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "homework", p.Homework,
				[]string{"I ____ (go) to school.", "She __ __ late.", "Write ____ words."})
		},
	},
	{
		name: "CRLF line endings",
		in: "---\r\ntitle: T\r\n---\r\n\r\n## Objectives\r\n\r\n- a\r\n- b\r\n\r\n" +
			"## Reflection\r\n\r\nx\r\ny\r\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "objectives", p.Objectives, []string{"a", "b"})
			eq(t, "reflection", p.Reflection, "x\ny")
		},
	},
	{
		name: "byte order mark",
		in:   "\ufeff---\ntitle: With BOM\n---\n\n## Homework\n\n- h\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "title", p.Title, "With BOM")
			eq(t, "homework", p.Homework, []string{"h"})
		},
	},
	{
		name:     "bad YAML names the line",
		in:       "---\ntitle: T\nsubject: English\nlevel: a: b\n---\n# T\n",
		problems: []string{"front matter near line 4", "invalid YAML"},
	},
	{
		name: "front matter values out of range",
		in:   "---\nduration: soon\nclass_size: 0\ndate: tomorrow\n---\n# T\n",
		problems: []string{"line 2: duration must be a number of minutes",
			"line 3: class_size", "line 4: date"},
	},
	{
		name: "front matter title wins over a different H1",
		in:   "---\ntitle: Weather\n---\n# Unit 5 Reading\n\nintro\n\n## Homework\n\n- h\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "title", p.Title, "Weather")
			eq(t, "sections", p.Sections,
				[]Section{{Heading: "Unit 5 Reading", Body: "intro", After: "title"}})
			eq(t, "preface", p.Preface, "")
		},
	},
	{
		name: "an H1 repeating the front matter title is the title",
		in:   "---\ntitle: Weather\n---\n# weather\n\nintro\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "title", p.Title, "Weather")
			eq(t, "preface", p.Preface, "intro")
			eq(t, "sections", len(p.Sections), 0)
		},
	},
	{
		name: "procedure without stage headings is one stage",
		in: "# T\n\n## Procedure (40 minutes)\n\nTeacher: explains.\n\n- a list\n\n" +
			"Students work.\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "procedure", p.Procedure, []Stage{{Name: "Procedure", Minutes: intp(40),
				Teacher: "explains.\n\n- a list", Content: "Students work."}})
		},
	},
	{
		name: "stage labels",
		in: "# T\n\n## 教学过程\n\n### 导入\n\n**教师活动：**\n\n1. 播放\n2. 提问\n\n" +
			"**学生活动**：回答\n\n设计意图：激趣\n\n互动方式：T-Ss\n\n其他内容\n\n" +
			"### Practice\n\n- Teacher's activity: monitors\n- Students: pair work\n\n" +
			"Purpose: fluency.\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "procedure", p.Procedure, []Stage{
				{Name: "导入", Teacher: "1. 播放\n2. 提问", Students: "回答", Purpose: "激趣",
					Interaction: "T-Ss", Content: "其他内容"},
				{Name: "Practice", Teacher: "monitors", Students: "pair work",
					Purpose: "fluency."},
			})
		},
	},
	{
		name: "procedure table",
		in: "# T\n\n## 教学过程\n\n| 环节 | 时间 | 教师活动 | 学生活动 |\n|---|---|---|---|\n" +
			"| 导入 | 5分钟 | 播放<br>提问 | 跟唱 |\n| 新授 |  | 讲解 \\| 板书 | 听 |\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "procedure", p.Procedure, []Stage{
				{Name: "导入", Minutes: intp(5), Teacher: "播放\n提问", Students: "跟唱"},
				{Name: "新授", Teacher: "讲解 | 板书", Students: "听"},
			})
		},
	},
	{
		name: "vocabulary list items and what cannot be mapped",
		in: "# T\n\n## Key words\n\n- **drizzle** (n.) – light rain\n" +
			"- humid /ˈhjuːmɪd/ adj. warm and damp. e.g. It is humid.\n" +
			"- A sentence that is certainly not a vocabulary entry at all\n\n" +
			"Words in bold are for recognition.\n\n## Homework\n\n- h\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "vocabulary", p.Vocabulary, []Term{
				{Term: "drizzle", PartOfSpeech: "n.", Meaning: "light rain"},
				{Term: "humid", Phonetic: "/ˈhjuːmɪd/", PartOfSpeech: "adj.",
					Meaning: "warm and damp", Example: "It is humid."},
			})
			eq(t, "sections", p.Sections, []Section{{Heading: "Key words",
				Body: "- A sentence that is certainly not a vocabulary entry at all\n\n" +
					"Words in bold are for recognition.", After: "vocabulary"}})
		},
	},
	{
		name: "vocabulary table with an unknown column is kept whole",
		in:   "# T\n\n## Vocabulary\n\n| Word | Colour |\n|---|---|\n| red | red |\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "vocabulary", len(p.Vocabulary), 0)
			eq(t, "sections", p.Sections, []Section{{Heading: "Vocabulary",
				Body: "| Word | Colour |\n|---|---|\n| red | red |", After: "title"}})
		},
	},
	{
		name: "grammar points",
		in: "# T\n\n## Grammar\n\n### will\n\nFor predictions.\n\n- It will rain.\n\n" +
			"### be going to\n\n- Look, it's going to rain.\n\n## 语法要点\n\n" +
			"- **Present perfect**: have + done\n  - I have seen it.\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "grammar", p.Grammar, []Grammar{
				{Point: "will", Explanation: "For predictions.",
					Examples: []string{"It will rain."}},
				{Point: "be going to", Examples: []string{"Look, it's going to rain."}},
				{Point: "Present perfect", Explanation: "have + done",
					Examples: []string{"I have seen it."}},
			})
		},
	},
	{
		name: "board design without a code block keeps the body",
		in:   "# T\n\n## Blackboard writing\n\n**will** | going to\n\n- one\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "board", p.BoardDesign, "**will** | going to\n\n- one")
		},
	},
	{
		name: "analysis with sub-headings",
		in: "# T\n\n## 教学分析\n\n### 教材分析\n\nM\n\n### 学情分析\n\nS\n\n### 其他\n\nO\n\n" +
			"## Learner analysis\n\nMore S\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "analysis", p.Analysis, &Analysis{Material: "M", Students: "S\n\nMore S"})
			eq(t, "sections", p.Sections, []Section{{Heading: "其他", Body: "O", After: "analysis"}})
		},
	},
	{
		name: "heading numbering and punctuation",
		in: "# T\n\n## Part 1: Learning Objectives\n\n- a\n\n## 1. Key points：\n\n- b\n\n" +
			"## (一) 教学难点\n\n- c\n\n## 📌 Teaching aids\n\n- d\n\n## 四、作业布置\n\n- e\n\n" +
			"## 教学评价 Assessment\n\nf\n\n## Notes after the lesson\n\ng\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "objectives", p.Objectives, []string{"a"})
			eq(t, "key points", p.KeyPoints, []string{"b"})
			eq(t, "difficulties", p.Difficulties, []string{"c"})
			eq(t, "materials", p.Materials, []string{"d"})
			eq(t, "homework", p.Homework, []string{"e"})
			eq(t, "assessment", p.Assessment, "f")
			eq(t, "reflection", p.Reflection, "g")
		},
	},
	{
		name: "setext headings and separators",
		in: "Weather\n=======\n\nObjectives\n----------\n\n- a\n\n---\n\n" +
			"Homework\n--------\n\n- b\n\n***\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "title", p.Title, "Weather")
			eq(t, "objectives", p.Objectives, []string{"a"})
			eq(t, "homework", p.Homework, []string{"b"})
		},
	},
	{
		name: "grouped objectives keep their groups",
		in:   "# T\n\n## 教学目标\n\n### 知识目标\n\n- 词汇\n\n### 能力目标\n\n- 介绍\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "objectives", p.Objectives,
				[]string{"**知识目标**\n\n- 词汇", "**能力目标**\n\n- 介绍"})
		},
	},
	{
		name: "language is detected from the headings",
		in:   "# Family 家人\n\n## 教学目标\n\n- a\n\n## Homework\n\n- b\n\n## 教学反思\n\nc\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "language", p.Language, "zh-CN")
		},
	},
	{
		name: "front matter language wins",
		in:   "---\nlang: zh-TW\n---\n# Weather\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "language", p.Language, "zh-TW")
		},
	},
	{
		name:     "a title that is too long",
		in:       "# " + strings.Repeat("长", 301) + "\n",
		problems: []string{"title must be at most 300 characters long"},
	},
	{
		name: "control characters and emoji pass through",
		in:   "# Fun 🎉\n\n## Objectives\n\n- a\x00b \U0001F600\n\n## Reflection\n\n\x0b\n",
		check: func(t *testing.T, p *Plan) {
			eq(t, "title", p.Title, "Fun 🎉")
			eq(t, "objectives", p.Objectives, []string{"a\x00b \U0001F600"})
		},
	},
}

func TestParseMarkdownCases(t *testing.T) {
	for _, tc := range markdownCases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseMarkdown([]byte(tc.in))
			if tc.problems != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("err = %v, want a *ValidationError", err)
				}
				msg := ve.Error()
				for _, want := range tc.problems {
					if !strings.Contains(msg, want) {
						t.Errorf("error %q does not mention %q", msg, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseMarkdown: %v", err)
			}
			if err := p.Validate(); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			tc.check(t, p)
		})
	}
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
	}
}
