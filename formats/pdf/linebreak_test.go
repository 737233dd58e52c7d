package pdf

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// unitWidth measures a CJK character as 2 and anything else as 1.
func unitWidth(r rune) float64 {
	if cjk(r) {
		return 2
	}
	return 1
}

func wrap(s string, width float64) []string {
	gs := make([]glyph, 0, len(s))
	for _, r := range s {
		gs = append(gs, glyph{r: r, w: unitWidth(r)})
	}
	var out []string
	for _, sp := range breakLines(gs, width) {
		var b strings.Builder
		for _, g := range gs[sp.start:sp.end] {
			b.WriteRune(g.r)
		}
		out = append(out, b.String())
	}
	return out
}

func TestBreakLines(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width float64
		want  []string
	}{
		{"empty", "", 10, []string{""}},
		{"fits", "hello world", 20, []string{"hello world"}},
		{"at spaces", "the quick brown fox", 10, []string{"the quick", "brown fox"}},
		{"several spaces", "aaaa    bbbb", 6, []string{"aaaa", "bbbb"}},
		{"CJK", "我的家人很好", 6, []string{"我的家", "人很好"}},
		{"CJK and Latin", "我的family很好", 8, []string{"我的", "family很", "好"}},
		{"CJK then word", "学生 his her", 8, []string{"学生 his", "her"}},
		{"long word", "abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"long URL after text", "see https://example.com/x", 10,
			[]string{"see", "https://ex", "ample.com/", "x"}},
		{"closing pulls previous down", "我的家人。", 8, []string{"我的家", "人。"}},
		{"two closings", "我的家人。」", 8, []string{"我的家", "人。」"}},
		{"ASCII closing", "我的家人, ok", 8, []string{"我的家", "人, ok"}},
		{"opening stays with next", "我的「家人」", 6, []string{"我的", "「家", "人」"}},
		{"opening at forced break", "abc(def", 4, []string{"abc", "(def"}},
		{"closing at forced break", "abc)def", 3, []string{"ab", "c)d", "ef"}},
		{"closing after space", "ab cd)", 5, []string{"ab", "cd)"}},
		{"hyphen", "well-known thing", 7, []string{"well-", "known", "thing"}},
		{"hard break", "ab\ncd", 10, []string{"ab", "cd"}},
		{"trailing hard break", "ab\n", 10, []string{"ab", ""}},
		{"leading spaces kept", "  ab\n  cd", 10, []string{"  ab", "  cd"}},
		{"indent too wide", "    ab\n    cd", 2, []string{"ab", "cd"}},
		{"glyph wider than line", "我我", 1, []string{"我", "我"}},
		{"ellipsis kept together", "好好好……", 7, []string{"好好", "好……"}},
		{"only closings", "。。。。", 4, []string{"。。", "。。"}},
		{"punctuation on a narrow line", "容」。", 4, []string{"容」", "。"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wrap(tt.in, tt.width)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("wrap(%q, %v) = %q, want %q", tt.in, tt.width, got, tt.want)
			}
			checkNothingDropped(t, tt.in, got)
		})
	}
}

// checkNothingDropped checks that lines are in, in order, less only spaces
// and newlines between lines.
func checkNothingDropped(t *testing.T, in string, lines []string) {
	t.Helper()
	rest := in
	for i, l := range lines {
		if i > 0 && strings.HasPrefix(strings.TrimLeft(rest, " "), "\n") {
			rest = strings.TrimLeft(rest, " ")[1:]
		}
		if !strings.HasPrefix(rest, l) {
			rest = strings.TrimLeft(rest, " ")
		}
		if !strings.HasPrefix(rest, l) {
			t.Fatalf("line %d %q is not next in %q", i, l, rest)
		}
		rest = rest[len(l):]
	}
	if strings.Trim(rest, " ") != "" {
		t.Fatalf("text left after the last line: %q", rest)
	}
}

func TestBreakLinesWidth(t *testing.T) {
	in := "教案导出服务把教案转换为 DOCX、PDF、PPTX 和 Markdown 四种格式，" +
		"see https://example.com/a/very/long/path/without/any/spaces/at/all " +
		"以及（括号里的内容）和「引号里的内容」。"
	for width := 2.0; width <= 40; width++ {
		lines := wrap(in, width)
		checkNothingDropped(t, in, lines)
		for _, l := range lines {
			w := 0.0
			for _, r := range l {
				w += unitWidth(r)
			}
			if w > width && utf8.RuneCountInString(l) > 1 {
				t.Errorf("width %v: line %q is %v wide", width, l, w)
			}
			if width < 6 {
				continue // too narrow to keep the rules
			}
			if r, _ := utf8.DecodeRuneInString(l); closing(r) && len(lines) > 1 {
				t.Errorf("width %v: line %q starts with closing punctuation", width, l)
			}
			if r, _ := utf8.DecodeLastRuneInString(l); opening(r) {
				t.Errorf("width %v: line %q ends with opening punctuation", width, l)
			}
		}
	}
}

func FuzzBreakLines(f *testing.F) {
	f.Add("我的家人。」 hello world https://example.com", 5.0)
	f.Add("（（（（））））", 1.0)
	f.Fuzz(func(t *testing.T, in string, width float64) {
		in = strings.ToValidUTF8(in, "")
		lines := wrap(in, width)
		checkNothingDropped(t, in, lines)
	})
}
