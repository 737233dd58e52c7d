package pptx

import (
	"strings"

	"lessonexport/document"
	"lessonexport/formats/ooxml"
)

// keyPointsTitle is the title of the slide that shows the key points and,
// right after them, the difficulties.
func (w *Writer) keyPointsTitle() string {
	if isChinese(w.meta.Language) {
		return "教学重点与难点"
	}
	return "Key points and difficulties"
}

func isChinese(lang string) bool {
	return lang == "zh" || strings.HasPrefix(lang, "zh-") || strings.HasPrefix(lang, "zh_")
}

// subheading adds a bold paragraph that heads part of a slide.
func (w *Writer) subheading(text string) {
	w.heading(document.Heading{Level: 3, Text: text})
}

// procedure gives each row of a procedure table a slide of its own: the
// stage's number, name and minutes as its title, the interaction, teacher
// activity, student activity and content on the slide, and the purpose in
// the speaker notes. What does not fit continues on further slides.
func (w *Writer) procedure(t document.Table) {
	label := func(c int) string {
		if c < len(t.Header) {
			return ooxml.OneLine(cellText(t.Header[c]))
		}
		return ""
	}
	if len(t.Header) > 0 {
		w.procHeader = make([]string, len(t.Header))
		for i := range t.Header {
			w.procHeader[i] = label(i)
		}
	}
	head := func(c int) string {
		if c < len(w.procHeader) {
			return w.procHeader[c]
		}
		return label(c)
	}
	for _, row := range t.Rows {
		cell := func(key string) (int, []document.Block) {
			c := t.Column(key)
			if c < 0 || c >= len(row) {
				return c, nil
			}
			return c, row[c].Blocks
		}
		_, stage := cell("stage")
		title := ooxml.OneLine(strings.TrimSpace(blocksText(stage)))
		if _, m := cell("minutes"); len(m) > 0 {
			if isChinese(w.meta.Language) {
				title += "（" + ooxml.OneLine(blocksText(m)) + "）"
			} else {
				title += " (" + ooxml.OneLine(blocksText(m)) + ")"
			}
		}
		if c := w.cur; c.kind == contentSlide && len(c.pieces) == 0 && len(c.notes) == 0 &&
			!c.cont && c.title == w.sect {
			// The section's own slide would stay empty: the stage takes it.
			w.cur = &slide{kind: contentSlide, title: title, label: w.sect}
		} else {
			w.start(title, w.sect, false)
		}
		if c, p := cell("purpose"); len(p) > 0 {
			w.cur.notes = append(w.cur.notes, document.Paragraph{Style: document.Note,
				Runs: []document.Run{{Text: head(c), Bold: true}}})
			w.cur.notes = append(w.cur.notes, noteParas(p)...)
		}
		if c, in := cell("interaction"); len(in) > 0 {
			runs := []document.Run{{Text: head(c) + sep(w.meta.Language), Bold: true}}
			runs = append(runs, []document.Run{{Text: ooxml.OneLine(blocksText(in))}}...)
			w.paragraph(document.Paragraph{Runs: runs})
		}
		for _, key := range []string{"teacher", "students", "content"} {
			c, bs := cell(key)
			if len(bs) == 0 {
				continue
			}
			w.subheading(head(c))
			for _, b := range bs {
				w.content(b)
			}
		}
	}
}

// sep is what follows a label in the document's language.
func sep(lang string) string {
	if isChinese(lang) {
		return "："
	}
	return ": "
}

// content adds a block of a table cell to the slide body.
func (w *Writer) content(b document.Block) {
	switch b := b.(type) {
	case document.Paragraph:
		if b.Style == document.Note {
			b.Style = document.Body
		}
		w.paragraph(b)
	case document.List:
		w.list(b)
	case document.Table:
		w.table(b)
	case document.Preformatted:
		w.pre(b)
	case document.Heading:
		w.subheading(b.Text)
	}
}

// noteParas turns blocks into paragraphs for the speaker notes.
func noteParas(bs []document.Block) []document.Paragraph {
	var out []document.Paragraph
	for _, b := range bs {
		switch b := b.(type) {
		case document.Paragraph:
			b.Style = document.Note
			out = append(out, b)
		case document.List:
			for i, it := range b.Items {
				m := "• "
				if b.Ordered {
					m = itoa(b.Start+i) + ". "
				}
				ps := noteParas(it.Blocks)
				if len(ps) == 0 {
					continue
				}
				ps[0].Runs = append([]document.Run{{Text: m}}, ps[0].Runs...)
				out = append(out, ps...)
			}
		default:
			if t := blocksText([]document.Block{b}); t != "" {
				out = append(out, document.Paragraph{Style: document.Note,
					Runs: []document.Run{{Text: t}}})
			}
		}
	}
	return out
}

// blocksText is the plain text of blocks, lines joined by newlines.
func blocksText(bs []document.Block) string {
	var lines []string
	for _, b := range bs {
		for _, p := range blockParas(b, 0, sizeBody) {
			var s strings.Builder
			if p.marker != "" {
				s.WriteString(p.marker + " ")
			}
			s.WriteString(document.Text(p.runs))
			lines = append(lines, s.String())
		}
	}
	return strings.Join(lines, "\n")
}
