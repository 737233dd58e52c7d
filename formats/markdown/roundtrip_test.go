package markdown

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"lessonexport/lesson"
	"lessonexport/render"
)

func intp(n int) *int { return &n }

// fullPlan fills every field of a plan, in Chinese and English, with
// Markdown in its rich-text fields, fill-in blanks, metadata, steps and
// custom sections before, between and after the standard ones.
func fullPlan() *lesson.Plan {
	return &lesson.Plan{
		ID: "plan-42", Title: "Unit 5 Shopping 购物", Subject: "English 英语",
		Level: "Grade 7 七年级", Language: "zh-CN", Textbook: "Go for it! 人教版",
		Unit: "Unit 5", DurationMinutes: 40, ClassSize: 36, Teacher: "张老师 Zhang",
		School: "实验中学", Date: "2026-10-08", Tags: []string{"shopping", "数字", "how much"},
		Metadata: []lesson.Field{{Name: "课型", Value: "新授课"}, {Name: "room", Value: "302"}},
		Preface:  "本课为第 *一* 课时。\n\n> 备课组：初一英语",
		Analysis: &lesson.Analysis{
			Material: "本单元围绕 **购物** 展开。\n\n- 句型 *How much is ...?*\n- 数字 1–100",
			Students: "学生已学过数字 1–20。",
		},
		Objectives: []string{
			"Students can ask prices: *How much is this ____?*",
			"学生能用 `It's ... yuan.` 回答。\n\n  1. 听\n  2. 说",
			"Fill in: I want ____ apples. 我想要（  ）个苹果。",
		},
		KeyPoints:    []string{"句型 **How much**", "[数字](https://example.org/numbers) 的读音"},
		Difficulties: []string{"复数 *these/those* 的使用"},
		Materials:    []string{"实物：文具、水果", "PPT"},
		Vocabulary: []lesson.Term{
			{Term: "price", PartOfSpeech: "n.", Phonetic: "/praɪs/", Meaning: "价格",
				Example: "What's the *price*?"},
			{Term: "sale", Meaning: "出售 | 特价"},
		},
		Grammar: []lesson.Grammar{
			{Point: "How much is/are ...?", Explanation: "询问价格，单数用 **is**，复数用 **are**。",
				Examples: []string{"How much is this hat?", "How much are these socks?"}},
			{Point: "数词 numbers", Explanation: "十位与个位之间用连字符：*twenty-one*。"},
		},
		Procedure: []lesson.Stage{
			{Name: "Warm-up 热身", Minutes: intp(5), Interaction: "T-Ss",
				Teacher: "播放歌曲，提问 *What can you see?*", Students: "跟唱、回答。",
				Purpose: "激发兴趣。"},
			{Name: "Presentation 呈现", Minutes: intp(0), Teacher: "出示实物。\n\n- 铅笔\n- 尺子",
				Content: "| 物品 | 价格 |\n| --- | --- |\n| pen | ¥5 |",
				Steps: []lesson.Stage{
					{Name: "Listen 听", Minutes: intp(4), Students: "听录音，填空：It's ____ yuan."},
					{Name: "Say 说", Content: "Pair work.", Purpose: "操练句型。"},
				}},
			{Name: "Practice", Interaction: "S-S", Content: "Role play in a shop."},
		},
		BoardDesign: "   Unit 5 Shopping\n ┌──────────┬────────┐\n │ How much │ 多少钱 │\n └──────────┴────────┘",
		Homework:    []string{"**基础**：抄写单词。", "Write a dialogue (at least ____ lines)."},
		Assessment:  "Exit ticket 出门条：\n\n1. How much is it?\n2. ____",
		Reflection:  "待课后填写。",
		Sections: []lesson.Section{
			{Heading: "课前说明", Body: "请提前准备实物。", After: "title"},
			{Heading: "Notes on objectives", Body: "Aligned with *the curriculum*.",
				After: "objectives"},
			{Heading: "分层设计", Body: "A 层：____\n\nB 层：____", After: "procedure"},
			{Heading: "Appendix 附录", Body: "| a | b |\n| --- | --- |\n| 1 | 2 |",
				After: "reflection"},
		},
	}
}

// sectionOrder is the JSON keys of the standard sections, as custom
// sections name them in After.
var sectionOrder = []string{
	"title", "analysis", "objectives", "key_points", "difficulties", "materials",
	"vocabulary", "grammar", "procedure", "board_design", "homework", "assessment",
	"reflection",
}

// has reports whether p fills the standard section key.
func has(p *lesson.Plan, key string) bool {
	switch key {
	case "title":
		return true
	case "analysis":
		return p.Analysis != nil && (p.Analysis.Material != "" || p.Analysis.Students != "")
	case "objectives":
		return len(p.Objectives) > 0
	case "key_points":
		return len(p.KeyPoints) > 0
	case "difficulties":
		return len(p.Difficulties) > 0
	case "materials":
		return len(p.Materials) > 0
	case "vocabulary":
		return len(p.Vocabulary) > 0
	case "grammar":
		return len(p.Grammar) > 0
	case "procedure":
		return len(p.Procedure) > 0
	case "board_design":
		return p.BoardDesign != ""
	case "homework":
		return len(p.Homework) > 0
	case "assessment":
		return p.Assessment != ""
	case "reflection":
		return p.Reflection != ""
	}
	return false
}

// canonicalAfter rewrites each custom section's After to the last standard
// section the plan has at or before the place After names (the end for an
// empty After), which is how Markdown states a position: by what comes
// before it. Two plans equal after this put every section in the same place.
func canonicalAfter(p *lesson.Plan) {
	for i := range p.Sections {
		s := &p.Sections[i]
		end := len(sectionOrder) - 1
		for j, k := range sectionOrder {
			if k == s.After {
				end = j
			}
		}
		for j := end; j >= 0; j-- {
			if has(p, sectionOrder[j]) {
				s.After = sectionOrder[j]
				break
			}
		}
	}
}

// TestRoundTrip writes plans as Markdown and reads them back with the lesson
// importer: the plan must come back the same. The one normalisation, on
// both sides, is canonicalAfter.
func TestRoundTrip(t *testing.T) {
	plans := map[string]*lesson.Plan{"full": fullPlan()}
	for _, ex := range examples {
		plans[ex.name] = loadPlan(t, ex.path)
	}
	data, err := os.ReadFile("../../testdata/examples/weather-forecast.md")
	if err != nil {
		t.Fatal(err)
	}
	if plans["weather-forecast.md"], err = lesson.ParseMarkdown(data); err != nil {
		t.Fatal(err)
	}
	en := fullPlan()
	en.Language = "en"
	plans["full-en"] = en
	for name, p := range plans {
		t.Run(name, func(t *testing.T) {
			md := writeAll(t, render.Meta(p), render.Blocks(p))
			back, err := lesson.ParseMarkdown([]byte(md))
			if err != nil {
				t.Fatalf("read back: %v\n%s", err, md)
			}
			canonicalAfter(p)
			canonicalAfter(back)
			want, _ := json.MarshalIndent(p, "", "  ")
			got, _ := json.MarshalIndent(back, "", "  ")
			if string(got) != string(want) {
				t.Errorf("plan changed in the round trip:\n%s\nwant\n%s\nmarkdown:\n%s",
					got, want, md)
			}
		})
	}
}

// FuzzPlan writes a plan whose every text is s, with its source recorded,
// and reads the Markdown back: the file must be valid UTF-8 without
// characters Markdown files must not hold, and reading it back must give a
// plan or a clear error, never a panic.
func FuzzPlan(f *testing.F) {
	for _, s := range []string{"x", "**Teacher:** a", "## h", "1. a\n2. b", "| a |\n| - |",
		"____", "```", "\x00\v\ufffe", "中文 *强调*", "---\nk: v\n---"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := fullPlan()
		p.Title, p.Preface, p.Assessment = s, s, s
		p.Objectives = []string{s, s}
		p.Procedure[0].Teacher, p.Procedure[0].Content, p.Procedure[0].Name = s, s, s
		p.Grammar[0].Explanation, p.Grammar[0].Point = s, s
		p.Vocabulary[0].Meaning = s
		p.Metadata = []lesson.Field{{Name: s, Value: s}}
		p.Sections = append(p.Sections, lesson.Section{Heading: s, Body: s})
		md := writeAll(t, render.Meta(p), render.Blocks(p))
		if !utf8.ValidString(md) {
			t.Fatalf("invalid UTF-8 in %q", md)
		}
		if strings.ContainsAny(md, "\x00\v\ufffe\uffff") {
			t.Fatalf("forbidden character in %q", md)
		}
		back, err := lesson.ParseMarkdown([]byte(md))
		if err == nil && back == nil {
			t.Fatal("no plan and no error")
		}
	})
}
