package pdf

import (
	"io"
	"testing"

	"lessonexport/document"
)

// BenchmarkSmall writes a one-page document of a heading, a paragraph, a
// list, a small table and a board design.
func BenchmarkSmall(b *testing.B) {
	blocks := []document.Block{
		document.Heading{Level: 1, Text: "教学目标 Objectives"},
		document.Plain("学生能够正确使用物主代词 his / her，并用 This is my ... 介绍家人。"),
		document.List{Items: []document.ListItem{
			{Blocks: []document.Block{document.Plain("Warm-up 热身")}},
			{Blocks: []document.Block{document.Plain("Presentation 新授")}},
		}},
		document.Table{Header: []document.Cell{cell("Term"), cell("Meaning")},
			Rows: [][]document.Cell{{cell("drizzle"), cell("小雨")},
				{cell("gust"), cell("阵风")}}},
		document.Preformatted{Role: document.Board, Text: "┌──┐\n│爸│\n└──┘"},
	}
	meta := document.Meta{Title: "Unit 3 我的家人"}
	b.ReportAllocs()
	for b.Loop() {
		w, err := NewWriter(io.Discard, meta)
		if err != nil {
			b.Fatal(err)
		}
		for _, bl := range blocks {
			if err := w.WriteBlock(bl); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
