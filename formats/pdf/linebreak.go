package pdf

// glyph is one character of text being broken into lines, with its width.
type glyph struct {
	r rune
	w float64
	// st indexes the style of the run the character came from.
	st int
}

// span is the half-open range of glyphs that makes up one line.
type span struct{ start, end int }

// breakLines breaks gs into lines no wider than width. A newline glyph
// ends a line and belongs to none. A line may break after spaces, between
// two CJK characters, between a CJK character and any other, and after a
// hyphen inside a word; a word too long for a line is broken between any
// two characters. No break leaves a closing punctuation mark at the start
// of a line or an opening one at the end: the characters before it move to
// the next line. The spaces at a soft break are left out of both lines;
// so are spaces that begin a line, after a newline, if they leave no room
// for the character after them. Every other glyph is in exactly one line.
// A single glyph wider than width gets a line of its own. At least one line
// is returned.
func breakLines(gs []glyph, width float64) []span {
	var lines []span
	start := 0
	for {
		start = skipIndent(gs, start, width)
		end, next, hard := fitLine(gs, start, width)
		lines = append(lines, span{start, trimSpaces(gs, start, end)})
		if next >= len(gs) && !hard {
			return lines
		}
		start = next
	}
}

// fitLine finds where the line beginning at start ends. It returns the end
// of the line, where the next line starts, and whether the line was ended
// by a newline.
func fitLine(gs []glyph, start int, width float64) (end, next int, hard bool) {
	w := 0.0          // width of gs[start:i] without trailing spaces
	spaces := 0.0     // width of the trailing spaces
	content := false  // whether gs[start:i] holds more than spaces
	opportunity := -1 // the last place the line may break, if any
	for i := start; i < len(gs); i++ {
		g := gs[i]
		if g.r == '\n' {
			return i, i + 1, true
		}
		if g.r == ' ' {
			spaces += g.w
			continue
		}
		if content && canBreak(gs, i) {
			opportunity = i
		}
		if content && w+spaces+g.w > width {
			if opportunity > start {
				return opportunity, opportunity, false
			}
			j := i
			for j-1 > start && (badBreak(gs, j) || gs[j].r == ' ') {
				j--
			}
			if badBreak(gs, j) || gs[j].r == ' ' {
				j = i // the rule cannot be kept on so narrow a line
			}
			return j, j, false
		}
		w += spaces + g.w
		spaces = 0
		content = true
	}
	return len(gs), len(gs), false
}

// skipIndent returns start moved past the spaces that begin the line there
// if they and the character after them do not fit in width; such spaces
// count as break spaces.
func skipIndent(gs []glyph, start int, width float64) int {
	k, w := start, 0.0
	for k < len(gs) && gs[k].r == ' ' {
		w += gs[k].w
		k++
	}
	if k > start && k < len(gs) && gs[k].r != '\n' && w+gs[k].w > width {
		return k
	}
	return start
}

// trimSpaces returns end moved back over the spaces that end gs[start:end].
func trimSpaces(gs []glyph, start, end int) int {
	for end > start && gs[end-1].r == ' ' {
		end--
	}
	return end
}

// badBreak reports whether breaking before gs[j] would put closing
// punctuation at the start of a line or opening punctuation at the end.
func badBreak(gs []glyph, j int) bool {
	return closing(gs[j].r) || opening(gs[j-1].r)
}

// canBreak reports whether a line may break before gs[i], which is no space.
func canBreak(gs []glyph, i int) bool {
	prev, cur := gs[i-1].r, gs[i].r
	if closing(cur) {
		return false
	}
	if prev == ' ' {
		return true
	}
	if opening(prev) {
		return false
	}
	if prev == cur && (prev == '—' || prev == '…') {
		return false
	}
	if cjk(prev) || cjk(cur) {
		return true
	}
	// After a hyphen between letters, as in "well-known".
	return prev == '-' && i >= 2 && letter(gs[i-2].r) && letter(cur)
}

func letter(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0xC0 && r < 0x250
}
