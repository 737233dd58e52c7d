// Package fonts embeds the faces the PDF writer draws text with (the two
// faces of WenQuanYi Micro Hei, for Latin and CJK text, and DejaVu Sans for
// what those lack) as standalone TrueType files, together with a way to ask
// which characters each face covers.
package fonts
