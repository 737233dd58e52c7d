package ooxmltest

import (
	"time"

	"lessonexport/document"
)

// Meta returns the properties of the sample document.
func Meta() document.Meta {
	return document.Meta{
		Title:    "Unit 3 My Family 我的家人",
		Subject:  "English",
		Author:   "Wang Fang",
		Keywords: []string{"family", "possessives"},
		Language: "zh-CN",
		Created:  time.Date(2026, 9, 15, 8, 30, 0, 0, time.UTC),
	}
}

// Blocks returns the sample document: every block type, Chinese text,
// styled runs, a link, nested and ordered lists, both table roles and both
// preformatted roles.
func Blocks() []document.Block {
	p := document.Plain
	cell := func(s string) document.Cell { return document.Cell{Blocks: []document.Block{p(s)}} }
	return []document.Block{
		document.Table{
			Role:   document.InfoTable,
			Widths: []float64{1, 3},
			Rows: [][]document.Cell{
				{cell("学科 Subject"), cell("English")},
				{cell("课时 Duration"), cell("45 分钟")},
				{cell("教师 Teacher"), cell("Wang Fang")},
			},
		},
		document.Heading{Level: 1, Text: "教学目标 Objectives"},
		document.List{Items: []document.ListItem{
			{Blocks: []document.Block{document.Paragraph{Runs: []document.Run{
				{Text: "Students can name "},
				{Text: "eight", Bold: true},
				{Text: " family members: "},
				{Text: "father, mother", Italic: true},
				{Text: "."},
			}}}},
			{Blocks: []document.Block{
				p("学生能够正确使用物主代词 his / her。"),
				document.List{Ordered: true, Start: 1, Items: []document.ListItem{
					{Blocks: []document.Block{p("his 用于男性")}},
					{Blocks: []document.Block{p("her 用于女性")}},
				}},
			}},
		}},
		document.Heading{Level: 2, Text: "重点 Key points"},
		document.Paragraph{Runs: []document.Run{
			{Text: "句型 "},
			{Text: "This is my ...", Code: true},
			{Text: " 与 "},
			{Text: "These are my ...", Code: true},
			{Break: true},
			{Text: "旧句型 ", Strike: true},
			{Text: "See the "},
			{Text: "course page", Link: "https://example.com/unit 3?a=1&b=2"},
			{Text: " 😀."},
		}},
		document.Paragraph{Style: document.Quote, Runs: []document.Run{
			{Text: "“学而时习之，不亦说乎？” — 《论语》"},
		}},
		document.Paragraph{Style: document.Note, Runs: []document.Run{
			{Text: "目的：激活已有知识，营造轻松氛围。"},
		}},
		document.Heading{Level: 3, Text: "Word cards 单词卡片"},
		document.List{Ordered: true, Start: 3, Items: []document.ListItem{
			{Blocks: []document.Block{p("Show grandfather and grandmother.")}},
			{Blocks: []document.Block{p("Drill the stress: GRAND-mo-ther.")}},
		}},
		document.Heading{Level: 1, Text: "词汇 Vocabulary"},
		document.Table{
			Widths: []float64{2, 1, 3, 2},
			Header: []document.Cell{cell("Term"), cell("词性"), cell("Meaning 释义"), cell("Example")},
			Rows: [][]document.Cell{
				{cell("grandmother"), cell("n."), cell("（外）祖母"), cell("This is my grandmother.")},
				{cell("cousin"), cell("n."), cell("堂（表）兄弟姐妹"), cell("Is she your cousin?")},
				{cell("these"), cell("pron.")},
			},
		},
		document.Heading{Level: 1, Text: "板书设计 Board design"},
		document.Preformatted{Role: document.Board, Text: "" +
			"┌──────────┬──────────┐\n" +
			"│ 单数     │ 复数     │\n" +
			"├──────────┼──────────┤\n" +
			"│ This is  │ These are│\n" +
			"└──────────┴──────────┘\n"},
		document.Preformatted{Role: document.Code, Text: "func main() {\n\tfmt.Println(\"你好\")\n}"},
	}
}

// Forbidden is text that cleans to Allowed: its characters mixed with ones
// XML 1.0 forbids (NUL, a vertical tab, U+FFFE, U+FFFF, an escape), a lone
// surrogate and a byte that is not UTF-8.
const Forbidden = "a\x00b\x0bc\ufffe\uffffd\x1b" + "\xed\xa0\x80" + "e\xff😀"

// Allowed is what a writer must keep of Forbidden.
const Allowed = "abcde😀"
