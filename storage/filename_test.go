package storage

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFileName(t *testing.T) {
	longZh := strings.Repeat("我的家人", 40)
	tests := []struct {
		name                  string
		title, level, id, ext string
		want                  string
	}{
		{"example", "Unit 3: My Family 我的家人", "A1 七年级上册", "3f9c2a1b", ".docx",
			"Unit 3 My Family 我的家人_A1 七年级上册_3f9c2a1b.docx"},
		{"ext without dot", "Lesson", "", "id1", "pdf", "Lesson_id1.pdf"},
		{"no level", "Colours", "", "ab", ".pptx", "Colours_ab.pptx"},
		{"traversal", "../../etc/passwd", "", "x1", ".md", "etc_passwd_x1.md"},
		{"windows traversal", `..\..\windows\system32`, "", "x1", ".md",
			"windows_system32_x1.md"},
		{"reserved characters", `a/b\c:d*e?f"g<h>i|j`, "B1", "7", ".docx",
			"a_b_c_d_e_f_g_h_i_j_B1_7.docx"},
		{"CR LF", "Line one\r\nLine two", "", "1", ".pdf", "Line one_Line two_1.pdf"},
		{"control chars", "a\x00b\x1bc\x7fd", "", "1", ".pdf", "a_b_c_d_1.pdf"},
		{"quotes", `"Hello" 'World' “你好”`, "", "1", ".pdf", "Hello World 你好_1.pdf"},
		{"emoji", "Fun 😀 Lesson 👨‍👩‍👧", "", "1", ".pptx", "Fun Lesson_1.pptx"},
		{"leading dots", "...hidden", "", "1", ".md", "hidden_1.md"},
		{"only dots", "....", "", "1", ".md", "lesson_1.md"},
		{"empty", "", "", "1", ".md", "lesson_1.md"},
		{"all punctuation", "?!@#", "", "1", ".md", "lesson_1.md"},
		{"repeats", "a   b___c---d...e", "", "1", ".md", "a b_c-d.e_1.md"},
		{"ideographic space", "第一课\u3000问候", "", "1", ".md", "第一课 问候_1.md"},
		{"bidi override", "abc\u202Etxt.exe", "", "1", ".md", "abc_txt.exe_1.md"},
		{"invalid utf8", "a\xffb", "", "1", ".md", "a_b_1.md"},
		{"dashes trimmed", "-rf", "", "1", ".md", "rf_1.md"},
		{"nasty ext", "x", "", "1", "./../docx\n", "x_1.docx"},
		{"nasty id", "x", "", "../id", ".md", "x_id.md"},
		{"no id no ext", "x", "", "", "", "x"},
		{"everything empty", "", "", "", "", "lesson"},
		{"accents", "Café déjà vu", "", "1", ".md", "Café déjà vu_1.md"},
		{"hindi marks", "नमस्ते", "", "1", ".md", "नमस्ते_1.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FileName(tt.title, tt.level, tt.id, tt.ext)
			if got != tt.want {
				t.Errorf("FileName = %q, want %q", got, tt.want)
			}
			checkName(t, got)
		})
	}

	got := FileName(longZh, "A1 七年级上册", "3f9c2a1b", ".docx")
	checkName(t, got)
	if !strings.HasPrefix(got, "我的家人") ||
		!strings.HasSuffix(got, "_A1 七年级上册_3f9c2a1b.docx") {
		t.Errorf("long Chinese title gave %q", got)
	}
	if len(got) < maxNameBytes-3 {
		t.Errorf("long title cut more than needed: %d bytes", len(got))
	}
	got = FileName(strings.Repeat("x", 500), strings.Repeat("级", 100), strings.Repeat("9", 100),
		strings.Repeat("e", 100))
	checkName(t, got)
}

// checkName asserts the promises FileName makes about every result.
func checkName(t *testing.T, name string) {
	t.Helper()
	if name == "" || name[0] == '.' || len(name) > maxNameBytes || !utf8.ValidString(name) {
		t.Errorf("bad name %q (%d bytes)", name, len(name))
	}
	if strings.ContainsAny(name, "/\\:*?\"<>|") || strings.Contains(name, "..") {
		t.Errorf("name %q holds a forbidden character", name)
	}
	if err := ValidateKey(name); err != nil {
		t.Errorf("name is not a valid key: %v", err)
	}
}

func FuzzFileName(f *testing.F) {
	f.Add("Unit 3: My Family 我的家人", "A1", "3f9c2a1b", ".docx")
	f.Add("../../etc/passwd", "\r\n", "\x00", "..")
	f.Add(strings.Repeat("很长的标题", 50), "😀", "", "pdf")
	f.Fuzz(func(t *testing.T, title, level, id, ext string) {
		checkName(t, FileName(title, level, id, ext))
	})
}
