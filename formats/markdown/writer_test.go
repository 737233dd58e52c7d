package markdown

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"lessonexport/document"
	"lessonexport/lesson"
	"lessonexport/render"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var examples = []struct{ name, path string }{
	{"my-family", "../../testdata/examples/my-family.json"},
	{"weather-forecast", "../../render/testdata/weather-forecast.json"},
}

func loadPlan(t *testing.T, path string) *lesson.Plan {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p lesson.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return &p
}

func writeAll(t *testing.T, meta document.Meta, blocks document.Blocks) string {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, meta)
	if err != nil {
		t.Fatal(err)
	}
	if err := document.Write(w, blocks); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestExamplesGolden renders the example plans and compares the Markdown
// with the golden files; run with -update to rewrite them.
func TestExamplesGolden(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			p := loadPlan(t, ex.path)
			got := writeAll(t, render.Meta(p), render.Blocks(p))
			if again := writeAll(t, render.Meta(p), render.Blocks(p)); again != got {
				t.Error("output is not deterministic")
			}
			golden := filepath.Join("testdata", ex.name+".md")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s:\n%s", golden, got)
			}
		})
	}
}

// texts returns the pieces of text a block shows, each normalized.
func texts(b document.Block, out []string) []string {
	add := func(s string) {
		if s = normalize(sanitize(s)); s != "" {
			out = append(out, s)
		}
	}
	switch b := b.(type) {
	case document.Heading:
		add(b.Text)
	case document.Paragraph:
		add(plainText(prepare(b.Runs, inParagraph)))
	case document.List:
		for _, it := range b.Items {
			for _, c := range it.Blocks {
				out = texts(c, out)
			}
		}
	case document.Table:
		for _, row := range append([][]document.Cell{b.Header}, b.Rows...) {
			for _, c := range row {
				for _, x := range c.Blocks {
					out = texts(x, out)
				}
			}
		}
	case document.Preformatted:
		for _, line := range strings.Split(b.Text, "\n") {
			add(line)
		}
	}
	return out
}

// TestExamplesParseBack parses the output with goldmark and finds the text
// of every block in it, in order.
func TestExamplesParseBack(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			p := loadPlan(t, ex.path)
			out := writeAll(t, render.Meta(p), render.Blocks(p))
			body, ok := strings.CutPrefix(out, "---\n")
			if _, after, found := strings.Cut(body, "\n---\n"); ok && found {
				body = after
			} else {
				t.Errorf("no front matter at the start of %q", out[:min(80, len(out))])
			}
			read := normalize(readText([]byte(body)))
			if !strings.HasPrefix(read, normalize(p.Title)) {
				t.Errorf("title missing at the start of %q", read[:min(80, len(read))])
			}
			rest := read
			for b := range render.Blocks(p) {
				tb, ok := b.(document.Table)
				switch {
				case ok && tb.Role == document.InfoTable:
					// The fields are in the front matter; TestRoundTrip
					// reads them back.
					continue
				case ok && (tb.Role == document.ProcedureTable || tb.Role == document.GrammarTable):
					// The columns are labels and headings here, not a table.
					tb.Header = nil
					for i, row := range tb.Rows {
						if c := tb.Column("stage"); c >= 0 {
							row = append([]document.Cell(nil), row...)
							row[c] = document.Cell{Blocks: []document.Block{
								document.Plain(stageName(row[c]))}}
							tb.Rows[i] = row
						}
					}
					b = tb
				}
				for _, s := range texts(b, nil) {
					i := strings.Index(rest, s)
					if i < 0 {
						t.Errorf("text %q not found (in order) in the parsed output", s)
						continue
					}
					rest = rest[i+len(s):]
				}
			}
		})
	}
}

func para(runs ...document.Run) document.Paragraph { return document.Paragraph{Runs: runs} }

func TestBlocks(t *testing.T) {
	item := func(bs ...document.Block) document.ListItem { return document.ListItem{Blocks: bs} }
	ol := func(start int, items ...document.ListItem) document.List {
		return document.List{Ordered: true, Start: start, Items: items}
	}
	cell := func(s string) document.Cell {
		return document.Cell{Blocks: []document.Block{document.Plain(s)}}
	}
	tests := []struct {
		name   string
		blocks []document.Block
		want   string
	}{
		{"headings shift", []document.Block{document.Heading{Level: 1, Text: "A"},
			document.Heading{Level: 3, Text: "C #"}, document.Heading{Level: 9, Text: "deep"}},
			"## A\n\n#### C \\#\n\n###### deep\n"},
		{"styles", []document.Block{para(document.Run{Text: "b", Bold: true},
			document.Run{Text: " i ", Italic: true}, document.Run{Text: "c`d", Code: true},
			document.Run{Text: "s", Strike: true}, document.Run{Text: " "},
			document.Run{Text: "link", Link: "http://x.org/a b"}, document.Run{Break: true},
			document.Run{Text: "line"})},
			"**b** *i* ``c`d``~~s~~ [link](<http://x.org/a b>)\\\nline\n"},
		{"quote and note", []document.Block{
			document.Paragraph{Style: document.Quote,
				Runs: []document.Run{{Text: "q"}, {Break: true}, {Text: "r"}}},
			document.Paragraph{Style: document.Note,
				Runs: []document.Run{{Text: "Purpose: ", Bold: true}, {Text: "why"}}}},
			"> q\\\n> r\n\n**Purpose:** why\n"},
		{"nested list", []document.Block{document.List{Items: []document.ListItem{
			item(document.Plain("a"),
				ol(9, item(document.Plain("nine")), item(document.Plain("ten")))),
			item(document.Plain("b")),
		}}},
			"- a\n\n  9. nine\n  10. ten\n\n- b\n"},
		{"lists apart", []document.Block{
			document.List{Items: []document.ListItem{item(document.Plain("a"))}},
			document.List{Items: []document.ListItem{item(document.Plain("b"))}},
			ol(1, item(document.Plain("c"))),
			ol(1, item(), item(document.Plain("d")))},
			"- a\n\n* b\n\n1. c\n\n1)\n2) d\n"},
		{"info table", []document.Block{document.Table{Role: document.InfoTable,
			Rows: [][]document.Cell{{cell("Subject"), cell("a | b")}, {cell("Notes")}}}},
			"| Item | Details |\n| --- | --- |\n| Subject | a \\| b |\n| Notes |  |\n"},
		{"data table with blocks in cells", []document.Block{document.Table{
			Header: []document.Cell{cell("A"), cell("B")},
			Rows: [][]document.Cell{{
				{Blocks: []document.Block{document.Plain("one"), document.Plain("two")}},
				{Blocks: []document.Block{document.List{Items: []document.ListItem{
					item(document.Plain("x")), item(document.Plain("y"))}}}},
				cell("extra"),
			}}}},
			"| A | B |  |\n| --- | --- | --- |\n| one<br>two | • x<br>• y | extra |\n"},
		{"fence", []document.Block{document.Preformatted{Text: "a ``` b\n\n  c\n"}},
			"````\na ``` b\n\n  c\n````\n"},
		{"empty blocks skipped", []document.Block{para(), document.List{}, document.Table{},
			document.Preformatted{}, document.Plain(" \n ")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := writeAll(t, document.Meta{Title: "T"}, func(yield func(document.Block) bool) {
				for _, b := range tt.blocks {
					if !yield(b) {
						return
					}
				}
			})
			want := "# T\n"
			if tt.want != "" {
				want += "\n" + tt.want
			}
			if got != want {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestEscape checks that text that looks like Markdown stays text, and that
// ordinary text is left readable.
func TestEscape(t *testing.T) {
	tests := []struct{ text, want string }{
		{"I ____ a student.", "I ____ a student."},
		{"（  ）里填词", "（  ）里填词"},
		{"snake_case_name", "snake_case_name"},
		{"5 * 3 = 15", "5 * 3 = 15"},
		{"3~5分钟", "3\\~5分钟"},
		{"* not a list", "\\* not a list"},
		{"- not a list", "\\- not a list"},
		{"-5 degrees", "-5 degrees"},
		{"+ plus", "\\+ plus"},
		{"2026. A year", "2026\\. A year"},
		{"1) one", "1\\) one"},
		{"# not a heading", "\\# not a heading"},
		{"#hashtag", "#hashtag"},
		{"> not a quote", "\\> not a quote"},
		{"---", "\\---"},
		{"___", "\\_\\_\\_"},
		{"===", "\\==="},
		{"*emph*", "\\*emph\\*"},
		{"_emph_", "\\_emph\\_"},
		{"a `code` b", "a \\`code\\` b"},
		{"[link](x)", "\\[link](x)"},
		{"<b>html</b>", "\\<b>html\\</b>"},
		{"&amp; & x", "\\&amp; & x"},
		{"a\\b", "a\\\\b"},
		{"| pipe", "\\| pipe"},
		{"~~~", "\\~\\~\\~"},
		{"    indented", "indented"},
		{"Name:\n____", "Name:\\\n\\_\\_\\_\\_"},
	}
	for _, tt := range tests {
		got := inline([]document.Run{{Text: tt.text}}, inParagraph)
		if got != tt.want {
			t.Errorf("inline(%q) = %q, want %q", tt.text, got, tt.want)
		}
		if read := parsedText(got, inParagraph); read != normalize(tt.text) {
			t.Errorf("%q reads back as %q", got, read)
		}
	}
}

// TestStylesKept checks that styles survive next to punctuation and each
// other.
func TestStylesKept(t *testing.T) {
	tests := []struct {
		runs []document.Run
		want string
	}{
		{[]document.Run{{Text: "标签：", Bold: true}, {Text: "内容"}}, "**标签**：内容"},
		{[]document.Run{{Text: "是"}, {Text: "“引号”", Bold: true}, {Text: "文"}}, "是“**引号**”文"},
		{[]document.Run{{Text: "a", Bold: true}, {Text: "b", Bold: true, Italic: true}},
			"**a*b***"},
		{[]document.Run{{Text: "bold ", Bold: true}, {Text: "plain"}}, "**bold** plain"},
		{[]document.Run{{Text: "x", Link: "u"}, {Text: "y", Link: "v"}}, "[x](u)[y](v)"},
		{[]document.Run{{Text: "[a]", Link: "u"}}, "[\\[a\\]](u)"},
		{[]document.Run{{Text: " padded ", Code: true}}, "`  padded  `"},
	}
	for _, tt := range tests {
		got := inline(tt.runs, inParagraph)
		if got != tt.want {
			t.Errorf("inline(%+v) = %q, want %q", tt.runs, got, tt.want)
		}
	}
}

func TestWriterErrors(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, document.Meta{Title: "T", Language: "zh-CN", Created: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteBlock(nil); err == nil {
		t.Error("nil block accepted")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := w.WriteBlock(document.Plain("x")); !errors.Is(err, errClosed) {
		t.Errorf("write after close: %v", err)
	}
	fw, _ := NewWriter(failing{}, document.Meta{Title: "T"})
	if err := fw.Close(); err == nil {
		t.Error("flush error lost")
	}
}

type failing struct{}

func (failing) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestChineseInfoHeader(t *testing.T) {
	meta := document.Meta{Title: "课", Language: "zh-CN"}
	got := writeAll(t, meta, func(yield func(document.Block) bool) {
		yield(document.Table{Role: document.InfoTable, Rows: [][]document.Cell{{}}})
	})
	if !strings.Contains(got, "| 项目 | 内容 |") {
		t.Errorf("got %q", got)
	}
}

// FuzzWriter writes arbitrary runs in every kind of block and checks that
// the output is UTF-8, parses, and reads back as the text of each paragraph.
func FuzzWriter(f *testing.F) {
	for _, s := range []string{
		"plain", "**not bold**", "a|b|c", "____", "1. x\n- y", "<br>", "&amp;", "\x00\xff",
		"`", "``` ~~~", "中文\n文字", "[x](y)", "\\", "# h\n===", "*a*b*", "😀 \u2028 \ufffe",
	} {
		f.Add(s, uint16(0x1234))
	}
	f.Fuzz(checkWriter)
}

// checkWriter is the body of FuzzWriter.
func checkWriter(t *testing.T, s string, flags uint16) {
	{
		var runs []document.Run
		for i, part := range strings.Split(s, "\x01") {
			bits := flags >> (i % 8 * 2)
			r := document.Run{Text: part, Bold: bits&1 != 0, Italic: bits&2 != 0,
				Code: i%5 == 4, Strike: i%7 == 6, Break: i%11 == 10}
			if i%3 == 2 {
				r.Link = part
			}
			if r.Break {
				r.Text = ""
			}
			runs = append(runs, r)
		}
		p := document.Paragraph{Runs: runs}
		blocks := []document.Block{
			document.Heading{Level: int(flags % 5), Text: s}, p,
			document.Paragraph{Style: document.Quote, Runs: runs},
			document.List{Ordered: flags&1 != 0, Start: int(flags), Items: []document.ListItem{
				{Blocks: []document.Block{p, document.Preformatted{Text: s}}}}},
			document.Table{Header: []document.Cell{{Blocks: []document.Block{p}}},
				Rows: [][]document.Cell{{{Blocks: []document.Block{p}}, {}}}},
			document.Preformatted{Role: document.Board, Text: s},
		}
		out := writeAll(t, document.Meta{Title: s}, func(yield func(document.Block) bool) {
			for _, b := range blocks {
				if !yield(b) {
					return
				}
			}
		})
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 in %q", out)
		}
		_ = readText([]byte(out))
		want := normalize(plainText(prepare(runs, inParagraph)))
		for _, ctx := range []context{inParagraph, inCell} {
			md := inline(runs, ctx)
			if got := parsedText(md, ctx); got != want {
				t.Errorf("ctx %d: %q reads back as %q, want %q", ctx, md, got, want)
			}
		}
		head := normalize(sanitize(s))
		if got := parsedText(heading(s), inHeading); got != head {
			t.Errorf("heading %q reads back as %q, want %q", heading(s), got, head)
		}
	}
}

// FuzzRoundTrip parses arbitrary Markdown into blocks, writes them and
// checks that the text of every block is found, in order, when the output
// is read back.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{
		"- a\n  - b\n\n    c\n- d", "1. x\n2. y\n\n```\ncode\n```", "> q\n> - r",
		"| a | b |\n|---|---|\n| `c|d` | *e* |", "# h\n\npara  \nbreak", "____",
		"* * *\n\n- ```\n  fenced\n  ```", "<div>\n*x*\n</div>", "[a](b) ![c](d)",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bs := render.RichText(s)
		out := writeAll(t, document.Meta{Title: "T"}, func(yield func(document.Block) bool) {
			for _, b := range bs {
				if !yield(b) {
					return
				}
			}
		})
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 in %q", out)
		}
		rest := normalize(readText([]byte(out)))
		for _, b := range bs {
			for _, piece := range texts(b, nil) {
				i := strings.Index(rest, piece)
				if i < 0 {
					t.Fatalf("%q not found in what\n%s\nreads as %q", piece, out, rest)
				}
				rest = rest[i+len(piece):]
			}
		}
	})
}
