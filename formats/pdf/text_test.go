package pdf

import (
	"testing"
	"unicode/utf8"

	"lessonexport/fonts"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
		grid           bool
	}{
		{"plain", "Hello 你好", "Hello 你好", false},
		{"emoji", "ok 😀!", "ok [U+1F600]!", false},
		{"emoji sequence", "👨\u200d👩\u200d👧", "[U+1F468][U+1F469][U+1F467]", false},
		{"skin tone and selector", "👍🏽\ufe0f", "[U+1F44D]", false},
		{"controls", "a\x00b\x1bc\x7fd\u0085e", "abcd\ne", false},
		{"newlines", "a\r\nb\rc\u2028d", "a\nb\nc\nd", false},
		{"tab kept", "a\tb", "a\tb", false},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb", false},
		{"noncharacters", "a\uFFFE\uFFFF\uFDD0b", "a[U+FFFE][U+FFFF][U+FDD0]b", false},
		{"extension B", "𠀀", "[U+20000]", false},
		{"grid emoji", "😀a", "？a", true},
		{"grid invalid", "\xff", "\uFFFD", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			subst := missing
			if tt.grid {
				subst = missingGrid
			}
			if got := clean(tt.in, fonts.SansFace, subst); got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestPlain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Unit 3  我的家人", "Unit 3 我的家人"},
		{" a\n\tb ", "a b"},
		{"x 😀", "x [U+1F600]"},
		{"a\x00b", "a b"},
		{"\xff", "\uFFFD"},
	}
	for _, tt := range tests {
		if got := plain(tt.in); got != tt.want {
			t.Errorf("plain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://example.com/a?b=c", "https://example.com/a?b=c"},
		{" https://example.com/a b ", "https://example.com/a%20b"},
		{"https://例子.com/", "https://%E4%BE%8B%E5%AD%90.com/"},
		{"\x00", "%00"},
		{"   ", ""},
	}
	for _, tt := range tests {
		if got := cleanURL(tt.in); got != tt.want {
			t.Errorf("cleanURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzClean checks that whatever clean returns is something the faces can
// draw.
func FuzzClean(f *testing.F) {
	f.Add("a\x00😀\xff\r\n\t中")
	f.Fuzz(func(t *testing.T, s string) {
		for _, face := range []fonts.Face{fonts.SansFace, fonts.MonoFace} {
			for _, subst := range []func(rune) string{missing, missingGrid} {
				out := clean(s, face, subst)
				if !utf8.ValidString(out) {
					t.Fatalf("clean(%q) = %q, not valid UTF-8", s, out)
				}
				for _, r := range out {
					if r != '\n' && r != '\t' && !keep(r, face) {
						t.Fatalf("clean(%q) kept %U", s, r)
					}
				}
			}
		}
		for _, r := range plain(s) {
			if r > 0xFFFF || r < 0x20 {
				t.Fatalf("plain(%q) kept %U", s, r)
			}
		}
	})
}
