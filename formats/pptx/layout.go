package pptx

import (
	"math"
	"strings"
	"unicode"

	"lessonexport/document"
	"lessonexport/formats/ooxml"
)

// Text sizes in points.
const (
	sizeBody   = 20.0
	sizeNested = 18.0
	sizeTable  = 16.0
	sizeNotes  = 12.0
	sizeMono   = 18.0
	sizeMonoLo = 10.0
	lineFactor = 1.2
	spaceBef   = 6.0
	pieceGap   = 10.0
	// fillFactor is how much of a line estimated text may fill; the
	// estimate counts average letter widths and wide fonts run longer.
	fillFactor = 0.9
	// monoAdvance is the advance of a Latin letter in the monospaced
	// face, in em.
	monoAdvance = 0.6
)

// Geometry in points.
const (
	bodyWPt  = float64(bodyW) / emuPt
	bodyHPt  = float64(bodyH) / emuPt
	cellMarX = 7.2
	cellMarY = 3.6
	indentPt = 22.5
)

// units returns the width of s in half-em units: two for a wide character,
// one for any other.
func units(s string) int {
	n := 0
	for _, r := range s {
		n += ooxml.Columns(r)
	}
	return n
}

// perLine returns how many half-em units fit a line width points wide at
// size points.
func perLine(width, size float64) int {
	return max(int(width/(size*0.5)*fillFactor), 4)
}

// tpara is one paragraph of a text box or table cell.
type tpara struct {
	runs   []document.Run
	level  int
	marker string // bullet or number shown before the text
	bullet bool   // marker is a bullet character
	hang   bool   // indented as a list item's text without a marker
	size   float64
	bold   bool
	color  string
	mono   bool
	quote  bool
	first  bool    // no space before
	space  float64 // space before in points when more than spaceBef
}

// before returns the space before p in points unless it comes first.
func (p tpara) before() float64 {
	return math.Max(p.space, spaceBef)
}

// marL returns the left margin of p in points.
func (p tpara) marL() float64 {
	if p.marker != "" || p.hang {
		return indentPt * float64(p.level+1)
	}
	if p.quote {
		return indentPt
	}
	return 0
}

// lines estimates how many lines p takes in a box width points wide.
func (p tpara) lines(width float64) int {
	per := perLine(width-p.marL(), p.size)
	n, cur := 1, 0
	add := func(u int) {
		if cur+u > per {
			n++
			cur = 0
		}
		cur += u
	}
	for _, r := range p.runs {
		if r.Break {
			n++
			cur = 0
			continue
		}
		for _, word := range words(r.Text) {
			if word == "\n" {
				n++
				cur = 0
				continue
			}
			u := units(word)
			if u > per {
				for _, c := range word {
					add(ooxml.Columns(c))
				}
				continue
			}
			add(u)
		}
	}
	return n
}

// height returns the height of p in points in a box width points wide.
func (p tpara) height(width float64) float64 {
	h := float64(p.lines(width)) * p.size * lineFactor
	if !p.first {
		h += p.before()
	}
	return h
}

// words splits s into words, each with its trailing spaces, wide
// characters one by one and line feeds on their own.
func words(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		switch {
		case r == '\n':
			if i > start {
				out = append(out, s[start:i])
			}
			out = append(out, "\n")
			start = i + 1
		case ooxml.Wide(r):
			if i > start {
				out = append(out, s[start:i])
			}
			out = append(out, string(r))
			start = i + len(string(r))
		case unicode.IsSpace(r):
			out = append(out, s[start:i+len(string(r))])
			start = i + len(string(r))
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// split cuts p after n lines in a box width points wide, counting lines
// as lines does. It returns false when p fits in n lines; head is empty
// when not even its first line fits.
func (p tpara) split(width float64, n int) (head, tail tpara, cut bool) {
	per := perLine(width-p.marL(), p.size)
	line, cur := 1, 0
	at := func(i, off int) (tpara, tpara, bool) {
		head, tail = p, p
		head.runs = append([]document.Run(nil), p.runs[:i]...)
		r := p.runs[i]
		if r.Break {
			tail.runs = p.runs[i+1:]
		} else {
			if off > 0 {
				h := r
				h.Text = r.Text[:off]
				head.runs = append(head.runs, h)
			}
			t := r
			t.Text = r.Text[off:]
			tail.runs = append([]document.Run{t}, p.runs[i+1:]...)
		}
		tail.runs = trimLeading(tail.runs)
		tail.marker, tail.bullet = "", false
		tail.hang = p.marker != "" || p.hang
		tail.first = true
		return head, tail, true
	}
	for i, r := range p.runs {
		if r.Break {
			if line+1 > n {
				return at(i, 0)
			}
			line++
			cur = 0
			continue
		}
		off := 0
		for _, w := range words(r.Text) {
			if w == "\n" {
				if line+1 > n {
					return at(i, off)
				}
				line++
				cur = 0
				off++
				continue
			}
			u := units(w)
			if u <= per {
				if cur+u > per {
					if line+1 > n {
						return at(i, off)
					}
					line++
					cur = 0
				}
				cur += u
				off += len(w)
				continue
			}
			for k, c := range w {
				cu := ooxml.Columns(c)
				if cur+cu > per {
					if line+1 > n {
						return at(i, off+k)
					}
					line++
					cur = 0
				}
				cur += cu
			}
			off += len(w)
		}
	}
	return p, tpara{}, false
}

// trimLeading drops leading line breaks and spaces of a paragraph's tail.
func trimLeading(runs []document.Run) []document.Run {
	for len(runs) > 0 {
		r := runs[0]
		if r.Break {
			runs = runs[1:]
			continue
		}
		t := strings.TrimLeft(r.Text, " \n")
		if t == "" {
			runs = runs[1:]
			continue
		}
		r.Text = t
		out := append([]document.Run{r}, runs[1:]...)
		return out
	}
	return runs
}

// monoSize returns the size of preformatted lines whose widest is cols
// columns: as large as sizeMono while the widest line fits, never below
// sizeMonoLo.
func monoSize(cols int) float64 {
	if cols == 0 {
		return sizeMono
	}
	s := bodyWPt / (float64(cols) * monoAdvance) * 0.97
	s = math.Floor(s*2) / 2
	return math.Max(math.Min(s, sizeMono), sizeMonoLo)
}

// monoLines returns how many lines a preformatted line of cols columns
// takes at size points.
func monoLines(cols int, size float64) int {
	per := max(int(bodyWPt/(size*monoAdvance)), 1)
	return max((cols+per-1)/per, 1)
}
