package render

import (
	"strconv"
	"strings"
	"time"

	"lessonexport/document"
	"lessonexport/lesson"
)

// epoch is the creation time of a plan without a valid date, fixed so that
// the same plan always gives the same file.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Meta returns the document properties of p. Created is midnight UTC of the
// plan's date, or 2000-01-01 when the plan has no valid date.
func Meta(p *lesson.Plan) document.Meta {
	m := document.Meta{
		Title:    p.Title,
		Subject:  p.Subject,
		Author:   p.Teacher,
		Keywords: p.Tags,
		Language: p.Language,
		Created:  epoch,
	}
	if m.Language == "" {
		m.Language = "en"
	}
	if d, err := time.Parse(time.DateOnly, p.Date); err == nil {
		m.Created = d
	}
	return m
}

// sectionKeys are the JSON keys of the standard sections in schema order;
// a custom section names one of them in After to follow it.
var sectionKeys = []string{
	"analysis", "objectives", "key_points", "difficulties", "materials", "vocabulary",
	"grammar", "procedure", "board_design", "homework", "assessment", "reflection",
}

// Blocks returns the content of p as blocks, produced one at a time as the
// consumer asks for them: an information table, the preface, then the
// standard sections in schema order with the custom sections placed after
// the section their After names, or at the end.
func Blocks(p *lesson.Plan) document.Blocks {
	return func(yield func(document.Block) bool) {
		r := renderer{p: p, yield: yield, l: &english}
		if p.Chinese() {
			r.l = &chinese
		}
		r.plan()
	}
}

// renderer emits the blocks of one plan. Each method returns false once the
// consumer has stopped asking for blocks.
type renderer struct {
	p     *lesson.Plan
	l     *labels
	yield func(document.Block) bool
}

func (r *renderer) emit(b document.Block) bool {
	return r.yield(b)
}

// emitAll emits blocks in order.
func (r *renderer) emitAll(bs []document.Block) bool {
	for _, b := range bs {
		if !r.yield(b) {
			return false
		}
	}
	return true
}

func (r *renderer) heading(level int, text string) bool {
	return r.emit(document.Heading{Level: level, Text: text})
}

func (r *renderer) plan() {
	if !r.info() || !r.emitAll(RichText(r.p.Preface)) || !r.custom("title") {
		return
	}
	for _, key := range sectionKeys {
		if !r.section(key) || !r.custom(key) {
			return
		}
	}
	r.custom("")
}

// known reports whether key names a place a custom section can follow.
func known(key string) bool {
	if key == "title" {
		return true
	}
	for _, k := range sectionKeys {
		if k == key {
			return true
		}
	}
	return false
}

// custom emits the custom sections that follow the section key; key ""
// takes those whose After names no known section.
func (r *renderer) custom(key string) bool {
	for _, s := range r.p.Sections {
		if key == "" && known(s.After) || key != "" && s.After != key {
			continue
		}
		if s.Heading != "" && !r.heading(1, s.Heading) {
			return false
		}
		if !r.emitAll(RichText(s.Body)) {
			return false
		}
	}
	return true
}

// info emits the table of the plan's information fields, if it has any.
func (r *renderer) info() bool {
	p, l := r.p, r.l
	var rows [][]document.Cell
	add := func(label, value string) {
		if value != "" {
			rows = append(rows, []document.Cell{plainCell(label), plainCell(value)})
		}
	}
	num := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	add(l.subject, p.Subject)
	add(l.level, p.Level)
	if p.DurationMinutes != 0 {
		add(l.duration, l.minutes(num(p.DurationMinutes)))
	}
	add(l.classSize, num(p.ClassSize))
	add(l.teacher, p.Teacher)
	add(l.school, p.School)
	add(l.date, p.Date)
	add(l.textbook, p.Textbook)
	add(l.unit, p.Unit)
	add(l.tags, strings.Join(p.Tags, l.listSep))
	for _, f := range p.Metadata {
		add(f.Name, f.Value)
	}
	if len(rows) == 0 {
		return true
	}
	return r.emit(document.Table{Role: document.InfoTable, Rows: rows, Widths: []float64{1, 3}})
}

func plainCell(s string) document.Cell {
	if s == "" {
		return document.Cell{}
	}
	return document.Cell{Blocks: []document.Block{document.Plain(s)}}
}

func richCell(s string) document.Cell {
	return document.Cell{Blocks: RichText(s)}
}

// section emits the standard section key if the plan has it.
func (r *renderer) section(key string) bool {
	p, l := r.p, r.l
	switch key {
	case "analysis":
		a := p.Analysis
		if a == nil || a.Material == "" && a.Students == "" {
			return true
		}
		if !r.heading(1, l.analysis) {
			return false
		}
		if a.Material != "" && (!r.heading(2, l.material) || !r.emitAll(RichText(a.Material))) {
			return false
		}
		if a.Students != "" && (!r.heading(2, l.students) || !r.emitAll(RichText(a.Students))) {
			return false
		}
		return true
	case "objectives":
		return r.listSection(l.objectives, p.Objectives, true)
	case "key_points":
		return r.listSection(l.keyPoints, p.KeyPoints, false)
	case "difficulties":
		return r.listSection(l.difficulties, p.Difficulties, false)
	case "materials":
		return r.listSection(l.materials, p.Materials, false)
	case "vocabulary":
		if len(p.Vocabulary) == 0 {
			return true
		}
		return r.heading(1, l.vocabulary) && r.emit(r.vocabulary())
	case "grammar":
		return r.grammar()
	case "procedure":
		if len(p.Procedure) == 0 {
			return true
		}
		if !r.heading(1, l.procedure) {
			return false
		}
		for i := range p.Procedure {
			if !r.stage(&p.Procedure[i], strconv.Itoa(i+1), 2) {
				return false
			}
		}
		return true
	case "board_design":
		if p.BoardDesign == "" {
			return true
		}
		return r.heading(1, l.boardDesign) &&
			r.emit(document.Preformatted{Role: document.Board, Text: p.BoardDesign})
	case "homework":
		return r.listSection(l.homework, p.Homework, true)
	case "assessment":
		return r.textSection(l.assessment, p.Assessment)
	case "reflection":
		return r.textSection(l.reflection, p.Reflection)
	}
	return true
}

// textSection emits a heading and a rich-text body, if the body is present.
func (r *renderer) textSection(heading, body string) bool {
	if body == "" {
		return true
	}
	return r.heading(1, heading) && r.emitAll(RichText(body))
}

// listSection emits a heading and a list of rich-text items, if there are
// any.
func (r *renderer) listSection(heading string, items []string, ordered bool) bool {
	if len(items) == 0 {
		return true
	}
	return r.heading(1, heading) && r.emit(richList(items, ordered))
}

func richList(items []string, ordered bool) document.List {
	l := document.List{Ordered: ordered, Items: make([]document.ListItem, len(items))}
	if ordered {
		l.Start = 1
	}
	for i, it := range items {
		l.Items[i].Blocks = RichText(it)
	}
	return l
}

// vocabulary returns the vocabulary table, with only the columns that some
// entry fills.
func (r *renderer) vocabulary() document.Table {
	l := r.l
	type column struct {
		label string
		width float64
		get   func(*lesson.Term) string
		rich  bool
	}
	all := []column{
		{l.term, 2, func(t *lesson.Term) string { return t.Term }, false},
		{l.partOfSpeech, 1, func(t *lesson.Term) string { return t.PartOfSpeech }, false},
		{l.phonetic, 2, func(t *lesson.Term) string { return t.Phonetic }, false},
		{l.meaning, 3, func(t *lesson.Term) string { return t.Meaning }, true},
		{l.example, 4, func(t *lesson.Term) string { return t.Example }, true},
	}
	var cols []column
	for i, c := range all {
		used := i == 0
		for j := range r.p.Vocabulary {
			if used {
				break
			}
			used = c.get(&r.p.Vocabulary[j]) != ""
		}
		if used {
			cols = append(cols, c)
		}
	}
	t := document.Table{Role: document.DataTable}
	for _, c := range cols {
		t.Header = append(t.Header, plainCell(c.label))
		t.Widths = append(t.Widths, c.width)
	}
	for j := range r.p.Vocabulary {
		row := make([]document.Cell, len(cols))
		for i, c := range cols {
			if v := c.get(&r.p.Vocabulary[j]); c.rich {
				row[i] = richCell(v)
			} else {
				row[i] = plainCell(v)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// grammar emits the grammar section: a level-2 heading per point, its
// explanation and a list of its examples.
func (r *renderer) grammar() bool {
	g := r.p.Grammar
	if len(g) == 0 {
		return true
	}
	if !r.heading(1, r.l.grammar) {
		return false
	}
	for i := range g {
		if !r.heading(2, g[i].Point) || !r.emitAll(RichText(g[i].Explanation)) {
			return false
		}
		if len(g[i].Examples) > 0 && !r.emit(richList(g[i].Examples, false)) {
			return false
		}
	}
	return true
}

// stage emits one stage of the procedure under a heading numbered number at
// the given level, then its steps. Steps below level 3 stay at level 3 and
// carry their full number, such as 1.1.1.
func (r *renderer) stage(s *lesson.Stage, number string, level int) bool {
	title := number
	if level == 2 {
		title += "."
	}
	if s.Name != "" {
		title += " " + s.Name
	}
	if s.Minutes != nil {
		title += r.l.stageTime(strconv.Itoa(*s.Minutes))
	}
	if !r.heading(level, title) {
		return false
	}
	l := r.l
	if !r.field(l.interaction, s.Interaction, document.Body) ||
		!r.field(l.teacherActivity, s.Teacher, document.Body) ||
		!r.field(l.studentActivity, s.Students, document.Body) ||
		!r.field(l.content, s.Content, document.Body) ||
		!r.field(l.purpose, s.Purpose, document.Note) {
		return false
	}
	for i := range s.Steps {
		if !r.stage(&s.Steps[i], number+"."+strconv.Itoa(i+1), min(level+1, 3)) {
			return false
		}
	}
	return true
}

// field emits a labelled rich-text field: the bold label starts its first
// paragraph, or stands in a paragraph of its own when the field starts with
// another kind of block. Every paragraph of the field gets style ps.
func (r *renderer) field(label, value string, ps document.ParagraphStyle) bool {
	if value == "" {
		return true
	}
	if strings.HasSuffix(label, ":") {
		label += " "
	}
	lr := document.Run{Text: label, Bold: true}
	bs := RichText(value)
	if len(bs) == 0 {
		return true
	}
	if p, ok := bs[0].(document.Paragraph); ok && p.Style == document.Body {
		p.Runs = append([]document.Run{lr}, p.Runs...)
		bs[0] = p
	} else {
		lr.Text = strings.TrimSuffix(lr.Text, " ")
		bs = append([]document.Block{document.Paragraph{Runs: []document.Run{lr}}}, bs...)
	}
	for i, b := range bs {
		if p, ok := b.(document.Paragraph); ok && p.Style == document.Body {
			p.Style = ps
			bs[i] = p
		}
	}
	return r.emitAll(bs)
}
