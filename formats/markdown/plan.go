package markdown

import (
	"strconv"
	"strings"

	"lessonexport/document"
)

// sourceOf returns the source recorded on b, if it has one.
func sourceOf(b document.Block) (document.Source, bool) {
	var s document.Source
	switch b := b.(type) {
	case document.Paragraph:
		s = b.Source
	case document.List:
		s = b.Source
	case document.Table:
		s = b.Source
	case document.Preformatted:
		s = b.Source
	}
	return s, s.Blocks > 0 && strings.TrimSpace(s.Markdown) != ""
}

// source formats a recorded source: the teacher's Markdown as written, with
// characters Markdown files must not hold dropped and line endings made LF.
func source(s document.Source) string {
	return strings.Trim(normalizeNewlines(sanitize(s.Markdown)), "\n")
}

// frontMatter formats the document's fields as YAML front matter, every
// value a double-quoted string (numbers of minutes and students plain),
// tags a flow list.
func frontMatter(fields []document.Field) string {
	var b strings.Builder
	b.WriteString("---\n")
	for _, f := range fields {
		if f.Key == "" {
			continue
		}
		b.WriteString(yamlKey(f.Key) + ":")
		switch {
		case f.List:
			b.WriteString(" [")
			for i, v := range f.Values {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(yamlString(v))
			}
			b.WriteString("]")
		case len(f.Values) > 0 && (f.Key == "duration_minutes" || f.Key == "class_size") &&
			digits(f.Values[0]):
			b.WriteString(" " + f.Values[0])
		default:
			b.WriteString(" " + yamlString(strings.Join(f.Values, ", ")))
		}
		b.WriteString("\n")
	}
	b.WriteString("---\n")
	return b.String()
}

// yamlKey writes a key plain when it is a simple name, quoted otherwise.
func yamlKey(k string) string {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c == '_' || i > 0 && c >= '0' && c <= '9') {
			return yamlString(k)
		}
	}
	return k
}

// yamlString quotes s as a YAML double-quoted scalar. Go's escapes for
// quoted strings are a subset of YAML's.
func yamlString(s string) string {
	return strconv.Quote(normalizeNewlines(sanitize(s)))
}

func digits(s string) bool {
	if s == "" || len(s) > 9 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// stageLabels are the labels of a stage's fields, in the order they are
// written, in English and in Chinese; the importer knows both.
var stageLabels = []struct{ key, en, zh string }{
	{"interaction", "Interaction:", "互动方式："},
	{"teacher", "Teacher:", "教师活动："},
	{"students", "Students:", "学生活动："},
	{"purpose", "Purpose:", "设计意图："},
}

// procedure formats the rows of a procedure table as stage headings one
// level below the section, steps a level lower: each stage's content
// first, then its labelled fields. Rows nested deeper than steps get deeper
// headings still, which the importer reads as a step's content.
func (w *Writer) procedure(t document.Table) (string, error) {
	var parts []string
	for i, row := range t.Rows {
		level := min(3+t.Depth(i), 6)
		name, minutes := "", ""
		get := func(key string) (document.Cell, bool) {
			c := t.Column(key)
			if c < 0 || c >= len(row) {
				return document.Cell{}, false
			}
			return row[c], len(row[c].Blocks) > 0
		}
		if c, ok := get("stage"); ok {
			name = stageName(c)
		}
		if c, ok := get("minutes"); ok {
			minutes = leadingDigits(document.Text(cellRuns(c.Blocks, nil)))
		}
		h := name
		if minutes != "" {
			if w.chinese {
				h += "（" + minutes + "分钟）"
			} else {
				h += " (" + minutes + " min)"
			}
		}
		parts = append(parts, strings.TrimRight(strings.Repeat("#", level)+" "+heading(h), " "))
		if c, ok := get("content"); ok {
			s, err := w.blocks(c.Blocks)
			if err != nil {
				return "", err
			}
			parts = append(parts, s)
		}
		for _, l := range stageLabels {
			c, ok := get(l.key)
			if !ok {
				continue
			}
			label := l.en
			if w.chinese {
				label = l.zh
			}
			s, err := w.blocks(c.Blocks)
			if err != nil {
				return "", err
			}
			if s == "" {
				continue
			}
			if inlineField(c.Blocks) {
				parts = append(parts, "**"+label+"** "+s)
			} else {
				parts = append(parts, "**"+label+"**", s)
			}
		}
	}
	return strings.Join(parts, "\n\n"), nil
}

// inlineField reports whether a stage field is one paragraph, which can
// follow its label on the same line; other fields go below a label of
// their own.
func inlineField(bs []document.Block) bool {
	if len(bs) != 1 {
		return false
	}
	p, ok := bs[0].(document.Paragraph)
	if !ok || p.Style != document.Body {
		return false
	}
	if s, ok := sourceOf(p); ok && strings.Contains(strings.TrimSpace(s.Markdown), "\n\n") {
		return false
	}
	return true
}

// stageName is the name in a stage cell: the text after its first run,
// which holds the number.
func stageName(c document.Cell) string {
	p, ok := c.Blocks[0].(document.Paragraph)
	if !ok || len(p.Runs) == 0 {
		return document.Text(cellRuns(c.Blocks, nil))
	}
	if len(p.Runs) == 1 {
		return ""
	}
	return strings.TrimSpace(document.Text(p.Runs[1:]))
}

func leadingDigits(s string) string {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

// grammar formats a grammar table as a heading per point, one level below
// the section, with its explanation and a list of its examples.
func (w *Writer) grammar(t document.Table) (string, error) {
	var parts []string
	for _, row := range t.Rows {
		cellOf := func(key string) []document.Block {
			if c := t.Column(key); c >= 0 && c < len(row) {
				return row[c].Blocks
			}
			return nil
		}
		point := document.Text(cellRuns(cellOf("point"), nil))
		parts = append(parts, strings.TrimRight("### "+heading(point), " "))
		for _, key := range []string{"explanation", "examples"} {
			s, err := w.blocks(cellOf(key))
			if err != nil {
				return "", err
			}
			if s != "" {
				parts = append(parts, s)
			}
		}
	}
	return strings.Join(parts, "\n\n"), nil
}

// sourceCell formats the source of a table cell on one line: pipes
// escaped, line breaks as <br>.
func sourceCell(s document.Source) string {
	t := source(s)
	t = strings.ReplaceAll(t, "|", `\|`)
	return strings.ReplaceAll(t, "\n", "<br>")
}
