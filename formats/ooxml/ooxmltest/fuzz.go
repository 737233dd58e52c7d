package ooxmltest

import (
	"lessonexport/document"
)

// FuzzBlocks returns a document that puts s (and its halves) in every kind
// of block and every place text can go, for fuzz tests.
func FuzzBlocks(s string, n int) (document.Meta, []document.Block) {
	half := s[:len(s)/2]
	p := func(t string) document.Paragraph { return document.Plain(t) }
	cell := func(t string) document.Cell { return document.Cell{Blocks: []document.Block{p(t)}} }
	runs := []document.Run{
		{Text: s}, {Text: half, Bold: true}, {Text: s, Italic: true, Strike: true},
		{Text: half, Code: true}, {Break: true}, {Text: s, Link: s}, {Text: half, Link: half},
	}
	m := Meta()
	m.Title, m.Subject, m.Author, m.Keywords, m.Language = s, half, s, []string{s, half}, s
	blocks := []document.Block{
		document.Heading{Level: n%5 - 1, Text: s},
		document.Paragraph{Runs: runs},
		document.Paragraph{Style: document.Quote, Runs: runs},
		document.Paragraph{Style: document.Note, Runs: runs},
		document.List{Ordered: n%2 == 0, Start: n, Items: []document.ListItem{
			{Blocks: []document.Block{p(s), document.List{Items: []document.ListItem{
				{Blocks: []document.Block{p(half)}}, {},
			}}}},
			{Blocks: []document.Block{document.Preformatted{Text: s}}},
		}},
		document.Table{Role: document.TableRole(n % 2), Widths: []float64{float64(n), 1},
			Header: []document.Cell{cell(s)},
			Rows:   [][]document.Cell{{cell(s), cell(half)}, {}, {cell(s)}}},
		document.Heading{Level: 1, Text: s, Key: "key_points"},
		document.Heading{Level: 1, Text: half, Key: "difficulties"},
		document.Table{Role: document.ProcedureTable, Keys: document.ProcedureColumns,
			Header: []document.Cell{cell(s), cell(half)}, Depths: []int{0, 1, n % 4},
			Rows: [][]document.Cell{{cell(s), cell(half), cell(s), cell(s), cell(half),
				cell(s), cell(s)}, {cell(half)}, {}}},
		document.Table{Role: document.ProcedureTable, Continues: true,
			Keys: []string{"stage", "content"}, Rows: [][]document.Cell{{cell(s), cell(s)}}},
		document.Table{Role: document.GrammarTable, Keys: []string{"point", "explanation",
			"examples"}, Rows: [][]document.Cell{{cell(s), cell(half), cell(s)}, {cell(half)}}},
		document.Heading{Level: 2, Text: half},
		document.Preformatted{Role: document.Board, Text: s},
		document.Preformatted{Role: document.Code, Text: half + "\n" + s},
		document.Heading{Level: 3, Text: s},
	}
	return m, blocks
}
