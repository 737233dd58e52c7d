// Package fonts embeds WenQuanYi Micro Hei, a TrueType collection with Latin
// and CJK glyphs, and hands out its two faces as standalone TrueType files
// together with a way to ask which characters each face covers.
package fonts
