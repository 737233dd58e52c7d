package markdown

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"lessonexport/document"
)

// context says where inline text goes, which decides how line breaks are
// written and which characters need escaping.
type context int

const (
	inParagraph context = iota
	inCell
	inHeading
)

// mode is how hard inline text is escaped.
type mode int

const (
	// readable escapes only what would otherwise be read as Markdown.
	readable mode = iota
	// strict escapes every character Markdown might give a meaning.
	strict
	// unstyled is strict and drops inline styles, for text whose styles
	// Markdown cannot express where they stand.
	unstyled
)

// inline formats runs for ctx. It tries readable output first and checks
// that it parses back to the same text, falling back to strict escaping
// and at last to dropping the styles, so that the text always survives.
// Known shortcomings: the last step loses every style of the paragraph, not
// only the one that could not be written, and spaces at the start or end of
// a line are lost, as Markdown does not keep them.
func inline(runs []document.Run, ctx context) string {
	runs = prepare(runs, ctx)
	want := normalize(plainText(runs))
	if want == "" {
		return ""
	}
	for _, m := range []mode{readable, strict} {
		out := emit(runs, ctx, m)
		if parsedText(out, ctx) == want {
			return out
		}
	}
	return emit(runs, ctx, unstyled)
}

// prepare sanitizes the text of runs, turns line endings inside text into
// breaks (spaces in a heading), joins runs of one style and drops breaks at
// either end.
func prepare(runs []document.Run, ctx context) []document.Run {
	var out []document.Run
	add := func(r document.Run) {
		if r.Break {
			if ctx == inHeading {
				r = document.Run{Text: " "}
			} else {
				out = append(out, r)
				return
			}
		}
		if r.Text == "" {
			return
		}
		if n := len(out); n > 0 && !out[n-1].Break && sameStyle(out[n-1], r) {
			out[n-1].Text += r.Text
			return
		}
		out = append(out, r)
	}
	for _, r := range runs {
		if r.Break {
			add(r)
			continue
		}
		for i, line := range strings.Split(normalizeNewlines(sanitize(r.Text)), "\n") {
			if i > 0 {
				add(document.Run{Break: true})
			}
			piece := r
			piece.Text = line
			add(piece)
		}
	}
	for len(out) > 0 && out[0].Break {
		out = out[1:]
	}
	for len(out) > 0 && out[len(out)-1].Break {
		out = out[:len(out)-1]
	}
	return out
}

func sameStyle(a, b document.Run) bool {
	return a.Bold == b.Bold && a.Italic == b.Italic && a.Code == b.Code &&
		a.Strike == b.Strike && a.Link == b.Link
}

// plainText returns the text of runs with breaks as spaces.
func plainText(runs []document.Run) string {
	var b strings.Builder
	for _, r := range runs {
		if r.Break {
			b.WriteByte(' ')
		} else {
			b.WriteString(r.Text)
		}
	}
	return b.String()
}

// normalize collapses white space, which Markdown does not keep, so that
// texts can be compared.
func normalize(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// sanitize replaces invalid UTF-8 with U+FFFD and drops control characters
// other than tab and line endings, and the noncharacters U+FFFE and U+FFFF.
func sanitize(s string) string {
	ok := utf8.ValidString(s)
	if ok {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xEF {
				ok = false
				break
			}
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0xFFFE, r == 0xFFFF:
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// normalizeNewlines turns CRLF and CR line endings into LF.
func normalizeNewlines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// style is one inline style that takes delimiters; they nest in this order,
// links outermost.
type style int

const (
	link style = iota
	strike
	bold
	italic
)

// want returns the styles of r in nesting order.
func want(r document.Run) []style {
	var s []style
	if r.Link != "" {
		s = append(s, link)
	}
	if r.Strike {
		s = append(s, strike)
	}
	if r.Bold {
		s = append(s, bold)
	}
	if r.Italic {
		s = append(s, italic)
	}
	return s
}

// emitter builds the Markdown of one run of inline text.
type emitter struct {
	ctx   context
	mode  mode
	lines []string
	line  []byte
	open  []style
	url   string
}

// delimited reports whether r takes emphasis or strikethrough delimiters,
// whose validity depends on the characters around them.
func delimited(r document.Run) bool {
	return !r.Break && !r.Code && (r.Bold || r.Italic || r.Strike)
}

// common returns the style that runs a and b share, for text between them.
func common(a, b document.Run) document.Run {
	r := document.Run{Bold: a.Bold && b.Bold, Italic: a.Italic && b.Italic,
		Strike: a.Strike && b.Strike}
	if a.Link == b.Link && !a.Code && !b.Code {
		r.Link = a.Link
	}
	return r
}

// unflank moves punctuation at the edge of a styled run out of it where it
// would keep the delimiters from being read: a closing delimiter after
// punctuation must be followed by white space or punctuation, and an
// opening one before punctuation must be preceded by them, as in
// "**标签：**内容", which becomes "**标签**：内容". The moved characters take
// the style the neighbouring runs share.
func unflank(runs []document.Run) []document.Run {
	out := make([]document.Run, 0, len(runs))
	for i := 0; i < len(runs); i++ {
		a := runs[i]
		if i+1 == len(runs) {
			out = append(out, a)
			break
		}
		b := runs[i+1]
		if b.Break || a.Break {
			out = append(out, a)
			continue
		}
		last, _ := utf8.DecodeLastRuneInString(a.Text)
		first, _ := utf8.DecodeRuneInString(b.Text)
		if a.Code {
			last = '`'
		}
		if b.Code {
			first = '`'
		}
		word := func(r rune) bool { return !isSpace(r) && !isPunct(r) }
		switch {
		case delimited(a) && !sameStyle(a, b) && isPunct(last) && word(first) && !a.Code:
			t := strings.TrimRightFunc(a.Text, isPunct)
			mid := common(a, b)
			mid.Text = a.Text[len(t):]
			a.Text = t
			if a.Text != "" {
				out = append(out, a)
			}
			out = append(out, mid)
		case delimited(b) && !sameStyle(a, b) && isPunct(first) && word(last) && !b.Code:
			t := strings.TrimLeftFunc(b.Text, isPunct)
			mid := common(a, b)
			mid.Text = b.Text[:len(b.Text)-len(t)]
			runs[i+1].Text = t
			out = append(out, a, mid)
			if t == "" {
				i++
			}
		default:
			out = append(out, a)
		}
	}
	return out
}

// emit formats prepared runs in mode m.
func emit(runs []document.Run, ctx context, m mode) string {
	e := &emitter{ctx: ctx, mode: m}
	if m != unstyled {
		runs = unflank(slices.Clone(runs))
	}
	for i, r := range runs {
		if r.Break {
			e.closeTo(0)
			e.endLine()
			continue
		}
		lineEnd := i+1 == len(runs) || runs[i+1].Break
		if m == unstyled {
			r = document.Run{Text: r.Text}
		}
		if !r.Code && strings.TrimSpace(r.Text) == "" {
			e.text(r.Text, lineEnd)
			continue
		}
		target := want(r)
		k := 0
		for k < len(e.open) && k < len(target) && e.open[k] == target[k] &&
			(target[k] != link || e.url == r.Link) {
			k++
		}
		e.closeTo(k)
		t := r.Text
		if !r.Code && k < len(target) {
			lead := len(t) - len(strings.TrimLeft(t, " \t"))
			e.text(t[:lead], false)
			t = t[lead:]
		}
		for _, s := range target[k:] {
			e.push(s, r.Link)
		}
		if r.Code {
			e.code(t)
		} else {
			e.text(t, lineEnd)
		}
	}
	e.closeTo(0)
	e.endLine()
	sep := "\\\n"
	switch ctx {
	case inCell:
		sep = "<br>"
	case inHeading:
		sep = " "
	}
	lines := e.lines
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	var out string
	if ctx == inParagraph {
		// A line ending in an escaped backslash takes a break of two
		// spaces: goldmark misreads a third backslash before the newline.
		var b strings.Builder
		for i, l := range lines {
			b.WriteString(l)
			if i+1 < len(lines) {
				if strings.HasSuffix(l, `\`) {
					b.WriteString("  \n")
				} else {
					b.WriteString(sep)
				}
			}
		}
		out = b.String()
	} else {
		out = strings.Join(lines, sep)
	}
	if ctx == inHeading {
		out = protectClosingHashes(out)
	}
	return out
}

// endLine finishes the current line, trimming the white space Markdown
// would drop at its ends.
func (e *emitter) endLine() {
	e.lines = append(e.lines, strings.TrimRight(string(e.line), " \t"))
	e.line = e.line[:0]
}

var openers = map[style]string{link: "[", strike: "~~", bold: "**", italic: "*"}

func (e *emitter) push(s style, url string) {
	e.line = append(e.line, openers[s]...)
	e.open = append(e.open, s)
	if s == link {
		e.url = url
	}
}

// closeTo closes open styles down to the first k. White space just before
// the closing delimiters moves after them, where it keeps them valid.
func (e *emitter) closeTo(k int) {
	if len(e.open) <= k {
		return
	}
	trimmed := strings.TrimRight(string(e.line), " \t")
	ws := string(e.line[len(trimmed):])
	e.line = append(e.line[:0], trimmed...)
	for i := len(e.open) - 1; i >= k; i-- {
		switch s := e.open[i]; s {
		case link:
			dest := destination(e.url)
			if e.ctx == inCell {
				// A bare pipe would end the cell.
				dest = strings.ReplaceAll(dest, "|", "%7C")
			}
			e.line = append(e.line, "]("+dest+")"...)
		default:
			e.line = append(e.line, openers[s]...)
		}
	}
	e.open = e.open[:k]
	e.line = append(e.line, ws...)
}

// inLink reports whether a link is open.
func (e *emitter) inLink() bool {
	return len(e.open) > 0 && e.open[0] == link
}

// destination formats a link target, in angle brackets when it holds
// characters a bare target cannot.
func destination(u string) string {
	u = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F {
			return -1
		}
		return r
	}, sanitize(u))
	if !strings.ContainsAny(u, " ()<>\\") {
		return u
	}
	r := strings.NewReplacer(`\`, `\\`, `<`, `\<`, `>`, `\>`)
	return "<" + r.Replace(u) + ">"
}

// code writes a code span with a fence longer than any backtick run in t.
func (e *emitter) code(t string) {
	if t == "" {
		return
	}
	if e.ctx == inCell {
		t = strings.ReplaceAll(t, "|", `\|`)
	}
	fence := strings.Repeat("`", longestRun(t, '`')+1)
	pad := ""
	if t[0] == '`' || t[len(t)-1] == '`' ||
		t[0] == ' ' && t[len(t)-1] == ' ' && strings.Trim(t, " ") != "" {
		pad = " "
	}
	e.line = append(e.line, fence+pad+t+pad+fence...)
}

// text writes t escaped. lineEnd says that nothing follows t on its line.
func (e *emitter) text(t string, lineEnd bool) {
	strictMode := e.mode != readable
	for i := 0; i < len(t); {
		c := t[i]
		if len(e.line) == 0 {
			// At the start of a line, where block markers are read.
			if c == ' ' || c == '\t' {
				i++
				continue
			}
			if e.ctx == inParagraph {
				if n := e.lineStart(t[i:], strictMode); n > 0 {
					i += n
					continue
				}
			}
		}
		switch c {
		case '\\', '`', '[', '<':
			e.line = append(e.line, '\\', c)
		case ']':
			if strictMode || e.inLink() {
				e.line = append(e.line, '\\')
			}
			e.line = append(e.line, c)
		case '|':
			if strictMode || e.ctx == inCell {
				e.line = append(e.line, '\\')
			}
			e.line = append(e.line, c)
		case '&':
			if strictMode || entityAt(t[i:]) {
				e.line = append(e.line, '\\')
			}
			e.line = append(e.line, c)
		case '>', '!', '#':
			if strictMode && e.ctx != inHeading {
				e.line = append(e.line, '\\')
			}
			e.line = append(e.line, c)
		case '*', '_', '~':
			n := 1
			for i+n < len(t) && t[i+n] == c {
				n++
			}
			next := ' '
			if i+n < len(t) {
				next, _ = utf8.DecodeRuneInString(t[i+n:])
			} else if !lineEnd {
				next = '!'
			}
			esc := strictMode || e.mayDelimit(c, next)
			for range n {
				if esc {
					e.line = append(e.line, '\\')
				}
				e.line = append(e.line, c)
			}
			i += n
			continue
		default:
			e.line = append(e.line, c)
		}
		i++
	}
}

// lastRune returns the last character written on the line, a space at its
// start.
func (e *emitter) lastRune() rune {
	if len(e.line) == 0 {
		return ' '
	}
	r, _ := utf8.DecodeLastRune(e.line)
	return r
}

// mayDelimit reports whether a run of c between the last character written
// and next could open or close emphasis or strikethrough.
func (e *emitter) mayDelimit(c byte, next rune) bool {
	prev := e.lastRune()
	left := !isSpace(next) && (!isPunct(next) || isSpace(prev) || isPunct(prev))
	right := !isSpace(prev) && (!isPunct(prev) || isSpace(next) || isPunct(next))
	if c != '_' {
		return left || right
	}
	return left && (!right || isPunct(prev)) || right && (!left || isPunct(next))
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

func isPunct(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) }

// lineStart writes what starts a line of a paragraph if it could be read as
// a block marker, escaped, and returns how many bytes of s it took; 0 means
// s starts with nothing of the kind.
func (e *emitter) lineStart(s string, strictMode bool) int {
	rest := s
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	only := func(set string) bool { return strings.Trim(rest, set+" \t") == "" }
	c := s[0]
	esc := false
	switch c {
	case '>', '*', '~', '|':
		esc = true
	case '-':
		esc = strictMode || only("-") || len(s) == 1 || s[1] == ' ' || s[1] == '\t'
	case '+':
		esc = strictMode || len(s) == 1 || s[1] == ' ' || s[1] == '\t'
	case '=':
		esc = strictMode || only("=")
	case '_':
		esc = strictMode || only("_")
	case '#':
		n := 1
		for n < len(s) && s[n] == '#' {
			n++
		}
		esc = strictMode || n <= 6 && (n == len(s) || s[n] == ' ' || s[n] == '\t')
	case ':':
		esc = strictMode
	}
	if esc {
		n := 1
		if c == '_' || c == '*' || c == '~' {
			for n < len(s) && s[n] == c {
				n++
			}
		}
		for range n {
			e.line = append(e.line, '\\', c)
		}
		return n
	}
	// An ordered list marker: up to nine digits and a dot or parenthesis.
	n := 0
	for n < len(s) && n < 10 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n > 0 && n <= 9 && n < len(s) && (s[n] == '.' || s[n] == ')') {
		e.line = append(e.line, s[:n]...)
		e.line = append(e.line, '\\', s[n])
		return n + 1
	}
	return 0
}

// entityAt reports whether s starts with what reads as an entity or numeric
// character reference.
func entityAt(s string) bool {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 40 {
		return false
	}
	body := s[1:end]
	if body[0] == '#' {
		body = strings.TrimLeft(body[1:], "xX")
		_, err := strconv.ParseUint(body, 16, 64)
		return body != "" && err == nil
	}
	for _, r := range body {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// protectClosingHashes escapes the last '#' of a heading's text when the
// text ends in what would be read as the heading's closing sequence.
func protectClosingHashes(s string) string {
	if !strings.HasSuffix(s, "#") {
		return s
	}
	t := strings.TrimRight(s, "#")
	if t != "" && t[len(t)-1] != ' ' && t[len(t)-1] != '\t' {
		return s
	}
	return s[:len(s)-1] + `\#`
}
