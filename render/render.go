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
	m.Fields = fields(p)
	return m
}

// fields returns the information fields of p in front matter order, with
// their values as the plan has them.
func fields(p *lesson.Plan) []document.Field {
	var fs []document.Field
	add := func(key, value string) {
		if value != "" {
			fs = append(fs, document.Field{Key: key, Values: []string{value}})
		}
	}
	num := func(key string, n int) {
		if n != 0 {
			add(key, strconv.Itoa(n))
		}
	}
	add("id", p.ID)
	add("title", p.Title)
	add("subject", p.Subject)
	add("level", p.Level)
	add("language", p.Language)
	add("textbook", p.Textbook)
	add("unit", p.Unit)
	num("duration_minutes", p.DurationMinutes)
	num("class_size", p.ClassSize)
	add("teacher", p.Teacher)
	add("school", p.School)
	add("date", p.Date)
	if len(p.Tags) > 0 {
		fs = append(fs, document.Field{Key: "tags", Values: p.Tags, List: true})
	}
	for _, f := range p.Metadata {
		fs = append(fs, document.Field{Key: f.Name, Values: []string{f.Value}})
	}
	return fs
}

// richBlocks renders a rich-text field like RichText and records the field's
// source on the first block, so that a Markdown writer can write it as the
// teacher wrote it.
func richBlocks(src string) []document.Block {
	bs := RichText(src)
	if len(bs) == 0 {
		return nil
	}
	s := document.Source{Markdown: src, Blocks: len(bs)}
	switch b := bs[0].(type) {
	case document.Paragraph:
		b.Source = s
		bs[0] = b
	case document.List:
		b.Source = s
		bs[0] = b
	case document.Table:
		b.Source = s
		bs[0] = b
	case document.Preformatted:
		b.Source = s
		bs[0] = b
	}
	return bs
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

// sectionHeading emits the level-1 heading of the standard section key.
func (r *renderer) sectionHeading(key, text string) bool {
	return r.emit(document.Heading{Level: 1, Text: text, Key: key})
}

func (r *renderer) plan() {
	if !r.info() || !r.emitAll(richBlocks(r.p.Preface)) || !r.custom("title") {
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
		if !r.emitAll(richBlocks(s.Body)) {
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

// sourcedCell is a plain cell that records its text as its source: a
// Markdown table cell reads back as the text it holds.
func sourcedCell(s string) document.Cell {
	c := plainCell(s)
	if len(c.Blocks) == 1 {
		p := c.Blocks[0].(document.Paragraph)
		p.Source = document.Source{Markdown: s, Blocks: 1}
		c.Blocks[0] = p
	}
	return c
}

func richCell(s string) document.Cell {
	return document.Cell{Blocks: richBlocks(s)}
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
		if !r.sectionHeading(key, l.analysis) {
			return false
		}
		if a.Material != "" && (!r.heading(2, l.material) || !r.emitAll(richBlocks(a.Material))) {
			return false
		}
		if a.Students != "" && (!r.heading(2, l.students) || !r.emitAll(richBlocks(a.Students))) {
			return false
		}
		return true
	case "objectives":
		return r.listSection(key, l.objectives, p.Objectives, true)
	case "key_points":
		return r.listSection(key, l.keyPoints, p.KeyPoints, false)
	case "difficulties":
		return r.listSection(key, l.difficulties, p.Difficulties, false)
	case "materials":
		return r.listSection(key, l.materials, p.Materials, false)
	case "vocabulary":
		if len(p.Vocabulary) == 0 {
			return true
		}
		return r.sectionHeading(key, l.vocabulary) && r.emit(r.vocabulary())
	case "grammar":
		return r.grammar()
	case "procedure":
		if len(p.Procedure) == 0 {
			return true
		}
		if !r.sectionHeading(key, l.procedure) {
			return false
		}
		cols := r.procColumns()
		for i := range p.Procedure {
			t := r.procedure(cols, &p.Procedure[i], i)
			if !r.emit(t) {
				return false
			}
		}
		return true
	case "board_design":
		if p.BoardDesign == "" {
			return true
		}
		return r.sectionHeading(key, l.boardDesign) &&
			r.emit(document.Preformatted{Role: document.Board, Text: p.BoardDesign})
	case "homework":
		return r.listSection(key, l.homework, p.Homework, true)
	case "assessment":
		return r.textSection(key, l.assessment, p.Assessment)
	case "reflection":
		return r.textSection(key, l.reflection, p.Reflection)
	}
	return true
}

// textSection emits a heading and a rich-text body, if the body is present.
func (r *renderer) textSection(key, heading, body string) bool {
	if body == "" {
		return true
	}
	return r.sectionHeading(key, heading) && r.emitAll(richBlocks(body))
}

// listSection emits a heading and a list of rich-text items, if there are
// any.
func (r *renderer) listSection(key, heading string, items []string, ordered bool) bool {
	if len(items) == 0 {
		return true
	}
	return r.sectionHeading(key, heading) && r.emit(richList(items, ordered))
}

func richList(items []string, ordered bool) document.List {
	l := document.List{Ordered: ordered, Items: make([]document.ListItem, len(items))}
	if ordered {
		l.Start = 1
	}
	for i, it := range items {
		l.Items[i].Blocks = richBlocks(it)
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
				row[i] = sourcedCell(v)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// grammar emits the grammar section: a GrammarTable of the points, their
// explanations and their examples.
func (r *renderer) grammar() bool {
	g := r.p.Grammar
	if len(g) == 0 {
		return true
	}
	if !r.sectionHeading("grammar", r.l.grammar) {
		return false
	}
	l := r.l
	t := document.Table{
		Role:   document.GrammarTable,
		Header: []document.Cell{plainCell(l.point), plainCell(l.explanation), plainCell(l.examples)},
		Widths: []float64{2, 4, 3},
		Keys:   []string{"point", "explanation", "examples"},
	}
	for i := range g {
		var ex document.Cell
		if len(g[i].Examples) > 0 {
			ex.Blocks = []document.Block{richList(g[i].Examples, false)}
		}
		t.Rows = append(t.Rows, []document.Cell{plainCell(g[i].Point),
			richCell(g[i].Explanation), ex})
	}
	return r.emit(t)
}

// procColumn is one possible column of the procedure table.
type procColumn struct {
	key   string
	width float64
	get   func(*lesson.Stage) string
}

// procColumns returns the columns of the procedure table that some stage
// or step fills; the stage column is always there.
func (r *renderer) procColumns() []procColumn {
	all := []procColumn{
		{"stage", 2.2, func(s *lesson.Stage) string { return s.Name }},
		{"minutes", 1.6, func(s *lesson.Stage) string { return minutes(s) }},
		{"interaction", 1.5, func(s *lesson.Stage) string { return s.Interaction }},
		{"teacher", 3.2, func(s *lesson.Stage) string { return s.Teacher }},
		{"students", 3.2, func(s *lesson.Stage) string { return s.Students }},
		{"content", 3.6, func(s *lesson.Stage) string { return s.Content }},
		{"purpose", 2.4, func(s *lesson.Stage) string { return s.Purpose }},
	}
	var cols []procColumn
	for i, c := range all {
		if i == 0 || anyStage(r.p.Procedure, c.get) {
			cols = append(cols, c)
		}
	}
	return cols
}

// procedure returns the part of the procedure table for stage number i:
// its row, followed by the rows of its steps. The parts of later stages
// continue the first.
func (r *renderer) procedure(cols []procColumn, st *lesson.Stage, i int) document.Table {
	l := r.l
	labels := map[string]string{
		"stage": l.stage, "minutes": l.time, "interaction": l.interactionCol,
		"teacher": l.teacherCol, "students": l.studentsCol, "content": l.contentCol,
		"purpose": l.purposeCol,
	}
	t := document.Table{Role: document.ProcedureTable, Continues: i > 0}
	for _, c := range cols {
		t.Header = append(t.Header, plainCell(labels[c.key]))
		t.Widths = append(t.Widths, c.width)
		t.Keys = append(t.Keys, c.key)
	}
	var add func(s *lesson.Stage, number string, depth int)
	add = func(s *lesson.Stage, number string, depth int) {
		row := make([]document.Cell, len(cols))
		for i, c := range cols {
			switch c.key {
			case "stage":
				row[i] = stageCell(number, s.Name, depth)
			case "minutes":
				if s.Minutes != nil {
					row[i] = plainCell(l.minutes(strconv.Itoa(*s.Minutes)))
				}
			default:
				row[i] = richCell(c.get(s))
			}
		}
		t.Rows = append(t.Rows, row)
		t.Depths = append(t.Depths, depth)
		for j := range s.Steps {
			add(&s.Steps[j], number+"."+strconv.Itoa(j+1), depth+1)
		}
	}
	add(st, strconv.Itoa(i+1), 0)
	return t
}

// stageCell holds a stage's number and name: a first run with the number
// and a second with the name, bold for a stage and plain for a step.
func stageCell(number, name string, depth int) document.Cell {
	if depth == 0 {
		number += "."
	}
	runs := []document.Run{{Text: number + " ", Bold: depth == 0}}
	if name != "" {
		runs = append(runs, document.Run{Text: name, Bold: depth == 0})
	}
	return document.Cell{Blocks: []document.Block{document.Paragraph{Runs: runs}}}
}

func minutes(s *lesson.Stage) string {
	if s.Minutes == nil {
		return ""
	}
	return strconv.Itoa(*s.Minutes)
}

// anyStage reports whether get gives text for some stage or step.
func anyStage(stages []lesson.Stage, get func(*lesson.Stage) string) bool {
	for i := range stages {
		if get(&stages[i]) != "" || anyStage(stages[i].Steps, get) {
			return true
		}
	}
	return false
}
