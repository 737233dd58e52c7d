package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark/text"

	"lessonexport/document"
)

func TestRichText(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty", "", ""},
		{"blank", "  \n ", ""},
		{"plain", "Students read the text.", `P["Students read the text."]` + "\n"},
		{"plain with spaces", "a  b\tc", `P["a  b\tc"]` + "\n"},
		{"blank line answer", "I ____ a student.", `P["I ____ a student."]` + "\n"},
		{"blank in brackets", "他（  ）是老师。", `P["他（  ）是老师。"]` + "\n"},
		{"blank in full-width brackets", "（____）and（____）", `P["（____）and（____）"]` + "\n"},
		{"blank alone", "____", `P["____"]` + "\n"},
		{"blanks after text", "Name:\n\n______", `P["Name:"]` + "\n" + `P["______"]` + "\n"},
		{"thematic break dropped", "a\n\n---\n\nb", `P["a"]` + "\n" + `P["b"]` + "\n"},
		{"styles", "**b** *i* `c` ~~s~~ [l](http://x.org/a?b=1)",
			`P[b:"b" " " i:"i" " " c:"c" " " s:"s" " " "l"->http://x.org/a?b=1]` + "\n"},
		{"nested styles", "**bold *both***", `P[b:"bold " bi:"both"]` + "\n"},
		{"hard breaks", "a  \nb\\\nc", `P["a" BR "b" BR "c"]` + "\n"},
		{"soft break", "one\ntwo", `P["one two"]` + "\n"},
		{"soft break between CJK", "这是\n中文。\n句子", `P["这是中文。句子"]` + "\n"},
		{"soft break CJK and Latin", "中文\nEnglish", `P["中文 English"]` + "\n"},
		{"soft break Korean", "한국어\n문장", `P["한국어 문장"]` + "\n"},
		{"entities", "&amp; &#x4E2D; &#25991; &copy; &bogus;", `P["& 中 文 © &bogus;"]` + "\n"},
		{"escapes", `\*not\* \_em\_ \&amp;`, `P["*not* _em_ &amp;"]` + "\n"},
		{"heading", "## Step one", `P[b:"Step one"]` + "\n"},
		{"raw inline html", "a <b>x</b> c", `P["a <b>x</b> c"]` + "\n"},
		{"html block", "<div>\nhi\n</div>", `P["<div>" BR "hi" BR "</div>"]` + "\n"},
		{"image", "See ![a map](map.png).", `P["See a map (map.png)."]` + "\n"},
		{"image without alt", "![](map.png)", `P["map.png"]` + "\n"},
		{"autolink", "<http://a.org>", `P["http://a.org"->http://a.org]` + "\n"},
		{"code block", "```go\nx := 1\n\n  y\n```", `CODE "x := 1\n\n  y"` + "\n"},
		{"indented code", "    a\n    b", `CODE "a\nb"` + "\n"},
		{"ordered list", "3. three\n4. four",
			"OL3\n  *\n    P[\"three\"]\n  *\n    P[\"four\"]\n"},
		{"nested list", "- a\n  1. b\n- c",
			"UL\n  *\n    P[\"a\"]\n    OL1\n      *\n        P[\"b\"]\n  *\n    P[\"c\"]\n"},
		{"quote", "> a\n>\n> - b\n> > c",
			`QUOTE["a"]` + "\n" + `QUOTE["• " "b"]` + "\n" + `QUOTE["c"]` + "\n"},
		{"table", "| A | B |\n|---|:-:|\n| *x* | `y\\|z` |\n| 1 |",
			"TABLE []\n  head{P[\"A\"] | P[\"B\"]}\n" +
				"  row{P[i:\"x\"] | P[c:\"y|z\"]}\n  row{P[\"1\"] | }\n"},
		{"reference link", "[a][r]\n\n[r]: http://r.org", `P["a"->http://r.org]` + "\n"},
		{"numbered text that is a list", "1) one", "OL1\n  *\n    P[\"one\"]\n"},
		{"emoji", "好 😀 ok", `P["好 😀 ok"]` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := dump(RichText(tt.src)); got != tt.want {
				t.Errorf("RichText(%q) =\n%s\nwant\n%s", tt.src, got, tt.want)
			}
		})
	}
}

// TestRichTextPlainFastPath checks that strings that skip the parser read
// the same as when parsed.
func TestRichTextPlainFastPath(t *testing.T) {
	for _, s := range []string{"Hello", "a b", "中文（  ）", "x=1", "a-b", "(1) yes", "x + 3"} {
		if !isPlain(s) {
			t.Errorf("isPlain(%q) = false", s)
			continue
		}
		c := converter{src: []byte(s)}
		got := dump(c.blocks(markdown.Parser().Parse(textReader(s)), nil))
		if want := dump(RichText(s)); got != want {
			t.Errorf("%q: parsed %s, fast path %s", s, got, want)
		}
	}
	for _, s := range []string{"- a", "1. a", " a", "a\nb", "a_b", "=", "+ x", "#", "a "} {
		if isPlain(s) {
			t.Errorf("isPlain(%q) = true", s)
		}
	}
}

func FuzzRichText(f *testing.F) {
	for _, s := range []string{
		"", "plain", "**b** *i* `c`", "| a |\n|---|\n| b |", "> q\n> > r\n> - s",
		"1. a\n   - b\n\n     c", "```\ncode\n```", "<div>\n", "&#0; &#xD800; \x00",
		"____\n***\n---", "![a *b*](c \"d\")", "a  \nb\\\n", "[x]: y\n[x]",
		"这是\n中文", "\xff\xfe", "\t\tx", "- [ ] task",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bs := RichText(s)
		for _, b := range bs {
			checkBlock(t, b)
		}
		if s != "" && isPlain(s) && dump(bs) != dump([]document.Block{document.Plain(s)}) {
			t.Errorf("plain %q gave %s", s, dump(bs))
		}
		if utf8.ValidString(s) {
			if txt := blockText(bs); !utf8.ValidString(txt) && !strings.Contains(s, "&") {
				t.Errorf("invalid UTF-8 from valid input %q", s)
			}
		}
	})
}

// checkBlock fails when b breaks an invariant of the block model.
func checkBlock(t *testing.T, b document.Block) {
	t.Helper()
	switch b := b.(type) {
	case document.Paragraph:
		if len(b.Runs) == 0 {
			t.Errorf("empty paragraph")
		}
		for _, r := range b.Runs {
			if r.Break && r.Text != "" {
				t.Errorf("break with text %q", r.Text)
			}
		}
	case document.List:
		for _, it := range b.Items {
			for _, c := range it.Blocks {
				checkBlock(t, c)
			}
		}
	case document.Table:
		for _, row := range append([][]document.Cell{b.Header}, b.Rows...) {
			for _, c := range row {
				for _, x := range c.Blocks {
					checkBlock(t, x)
				}
			}
		}
	case document.Heading, document.Preformatted:
	default:
		t.Errorf("unexpected block %T", b)
	}
}

func textReader(s string) text.Reader { return text.NewReader([]byte(s)) }

func TestUnescape(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain 中文", "plain 中文"},
		{`\*not\* \a`, `*not* \a`},
		{`\&amp;`, "&amp;"},
		{"&amp;&lt;&copy;", "&<©"},
		{"&#20013;&#x6587;&#X41;", "中文A"},
		{"&#0;&#x110000;", "\ufffd\ufffd"},
		{"&#12345678;&nosuch;&;& x;", "&#12345678;&nosuch;&;& x;"},
		{`trailing \`, `trailing \`},
		{"", ""},
	}
	for _, c := range cases {
		if got := Unescape([]byte(c.in)); got != c.want {
			t.Errorf("Unescape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
