// Package fonts embeds the faces the PDF writer draws text with (the two
// faces of WenQuanYi Micro Hei, for Latin and CJK text, and DejaVu Sans for
// what those lack), parses once per process what a PDF needs of each
// (character map, advances, outlines) and makes subsets of them.
package fonts
