package lesson

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

var atxRe = regexp.MustCompile(`^ {0,3}#{1,6}([ \t]|$)`)

// ParseMarkdown reads a lesson plan written as Markdown with optional YAML
// front matter. The front matter's known keys fill the plan's information
// fields and every other key goes to Metadata in file order. The first
// level-1 heading is the title unless the front matter gives one; level-2
// headings that name a standard section, in English or Chinese, fill that
// section, and every other heading becomes a custom section in place.
// Section text is sliced from the source, so the teacher's Markdown is kept
// as written, with line endings turned into "\n". A plan it returns passes
// Validate; otherwise it returns a *ValidationError.
func ParseMarkdown(data []byte) (*Plan, error) {
	src := normalizeSource(data)
	p := &Plan{}
	var probs []Problem
	yamlText, body, hasFM := splitFrontMatter(src)
	if hasFM {
		fmProbs := applyFrontMatter(p, yamlText, 1)
		if len(fmProbs) == 1 && fmProbs[0].Path == "" {
			return nil, problemsError(fmProbs)
		}
		probs = append(probs, fmProbs...)
	}

	im := &importer{d: newDoc(body), p: p, last: "title"}
	im.run()
	if p.Language == "" {
		p.Language = im.detectLanguage()
	}

	if strings.TrimSpace(p.Title) == "" {
		p.Title = ""
		probs = append(probs, Problem{Path: "/title", Message: "title is required: " +
			"start the file with a level-1 heading (# Title) or give title in the front matter"})
	}
	if err := p.Validate(); err != nil {
		ve, ok := err.(*ValidationError)
		if !ok {
			return nil, err
		}
		for _, vp := range ve.Problems {
			if !hasPath(probs, vp.Path) {
				probs = append(probs, vp)
			}
		}
	}
	if len(probs) > 0 {
		return nil, problemsError(probs)
	}
	return p, nil
}

// normalizeSource drops a byte order mark, turns CRLF and CR line endings
// into LF and replaces invalid UTF-8.
func normalizeSource(data []byte) []byte {
	data = bytes.TrimPrefix(data, utf8BOM)
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	if !utf8.Valid(data) {
		data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	return data
}

// importer turns the blocks of a Markdown body into a Plan.
type importer struct {
	d *mdDoc
	p *Plan
	// last is the JSON key of the last standard section filled, the After
	// of a custom section met now.
	last    string
	preface []string
}

// nextHeading returns the index of the first heading at or after from whose
// level is at most maxLevel, or len(blocks).
func nextHeading(blocks []mdBlock, from, maxLevel int) int {
	for i := from; i < len(blocks); i++ {
		if blocks[i].level > 0 && blocks[i].level <= maxLevel {
			return i
		}
	}
	return len(blocks)
}

func (im *importer) run() {
	blocks := im.d.blocks
	fmTitle := strings.TrimSpace(im.p.Title)

	i := nextHeading(blocks, 0, 6)
	im.addPreface(blocks[:i])
	titleTaken := false
	takeTitle := func(h mdBlock) bool {
		if titleTaken || h.level != 1 {
			return false
		}
		titleTaken = true
		if fmTitle == "" {
			im.p.Title = h.text
			return true
		}
		// The front matter's title wins; an H1 that repeats it, or part of
		// it, is the title heading, one that differs is a section of its own.
		return sameTitle(fmTitle, h.text)
	}

	for i < len(blocks) {
		h := blocks[i]
		if takeTitle(h) {
			k := nextHeading(blocks, i+1, 6)
			im.addPreface(blocks[i+1 : k])
			i = k
			continue
		}
		if h.level <= 2 {
			k := nextHeading(blocks, i+1, 2)
			switch {
			case h.level == 1:
				im.custom(h, blocks[i+1:k])
			default:
				im.section(h, blocks[i+1:k])
			}
			i = k
			continue
		}
		k := nextHeading(blocks, i+1, h.level)
		im.custom(h, blocks[i+1:k])
		i = k
	}
	im.p.Preface = strings.Join(im.preface, "\n\n")
}

// sameTitle reports whether an H1 repeats the front matter's title: the
// same text, or one holding the other, ignoring case and spacing.
func sameTitle(a, b string) bool {
	a = strings.ToLower(spacesRe.ReplaceAllString(strings.TrimSpace(a), " "))
	b = strings.ToLower(spacesRe.ReplaceAllString(strings.TrimSpace(b), " "))
	return b != "" && (strings.Contains(a, b) || strings.Contains(b, a))
}

func (im *importer) addPreface(blocks []mdBlock) {
	if t := im.d.raw(blocks); t != "" {
		im.preface = append(im.preface, t)
	}
}

// custom adds a section the importer does not interpret, in place.
func (im *importer) custom(h mdBlock, body []mdBlock) {
	im.p.Sections = append(im.p.Sections, Section{
		Heading: h.text, Body: im.d.raw(body), After: im.last,
	})
}

// leftover adds what a standard section held that its fields have no room
// for, as a custom section right after it.
func (im *importer) leftover(heading, body string) {
	if body == "" {
		return
	}
	im.p.Sections = append(im.p.Sections, Section{Heading: heading, Body: body, After: im.last})
}

// section fills the standard section a level-2 heading names.
func (im *importer) section(h mdBlock, body []mdBlock) {
	key := headingKey(h.text, headingAliases)
	if key == "" || len(trimBreaks(body)) == 0 {
		// An empty standard section stays as a heading, so that a
		// placeholder the teacher left to fill in by hand still shows.
		im.custom(h, body)
		return
	}
	d, p := im.d, im.p
	switch key {
	case keyObjectives:
		im.listSection(key, &p.Objectives, body)
	case keyKeyPoints:
		im.listSection(key, &p.KeyPoints, body)
	case keyDifficulties:
		im.listSection(key, &p.Difficulties, body)
	case keyMaterials:
		im.listSection(key, &p.Materials, body)
	case keyHomework:
		im.listSection(key, &p.Homework, body)
	case keyVocabulary:
		im.vocabulary(h, body)
	case keyGrammar:
		im.grammar(h, body)
	case keyProcedure:
		im.procedure(h, body)
	case keyBoardDesign:
		im.boardDesign(h, body)
	case keyAssessment:
		appendText(&p.Assessment, d.raw(body))
		im.last = key
	case keyReflection:
		appendText(&p.Reflection, d.raw(body))
		im.last = key
	case keyMaterialAn, keyStudentsAn:
		im.setAnalysis(key, d.raw(body))
	case keyAnalysis:
		im.analysis(h, body)
	}
}

func appendText(dst *string, s string) {
	switch {
	case s == "":
	case *dst == "":
		*dst = s
	default:
		*dst += "\n\n" + s
	}
}

func (im *importer) setAnalysis(key, text string) {
	if im.p.Analysis == nil {
		im.p.Analysis = &Analysis{}
	}
	if key == keyMaterialAn {
		appendText(&im.p.Analysis.Material, text)
	} else {
		appendText(&im.p.Analysis.Students, text)
	}
	im.last = keyAnalysis
}

// listSection makes one entry of each top-level list item and of each other
// block. A sub-heading and what follows it become one entry: the heading in
// bold, then its text, so that grouped objectives keep their groups.
func (im *importer) listSection(key string, dst *[]string, body []mdBlock) {
	d := im.d
	k := nextHeading(body, 0, 6)
	entries := im.entries(body[:k])
	for k < len(body) {
		sub := body[k]
		e := nextHeading(body, k+1, sub.level)
		entry := "**" + escapeEmphasis(sub.text) + "**"
		if t := d.raw(body[k+1 : e]); t != "" {
			entry += "\n\n" + t
		}
		entries = append(entries, entry)
		k = e
	}
	*dst = append(*dst, entries...)
	im.last = key
}

// escapeEmphasis escapes the characters that would end bold text early.
func escapeEmphasis(s string) string {
	return strings.NewReplacer(`*`, `\*`, `_`, `\_`, "`", "\\`").Replace(s)
}

// entries returns the list entries of blocks: each top-level list item, and
// each other block but thematic breaks.
func (im *importer) entries(blocks []mdBlock) []string {
	var out []string
	for _, b := range blocks {
		switch b.node.Kind() {
		case ast.KindThematicBreak:
		case ast.KindList:
			for _, it := range im.d.items(b) {
				if it.text != "" {
					out = append(out, it.text)
				}
			}
		default:
			if t := im.d.text(b.start, b.end); strings.TrimSpace(t) != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// pieces gathers source snippets that could not be mapped, keeping items of
// one list together.
type pieces struct {
	b        strings.Builder
	lastList ast.Node
}

func (ps *pieces) add(s string, list ast.Node) {
	if s == "" {
		return
	}
	if ps.b.Len() > 0 {
		if list != nil && list == ps.lastList {
			ps.b.WriteString("\n")
		} else {
			ps.b.WriteString("\n\n")
		}
	}
	ps.b.WriteString(s)
	ps.lastList = list
}

func (ps *pieces) String() string { return ps.b.String() }

// vocabulary maps tables with recognised columns and list items such as
// "**drizzle** (n.) – light rain" to terms. What it cannot map is kept as a
// custom section right after. A sub-heading inside the section only groups
// terms; its text is kept only when something under it could not be mapped.
func (im *importer) vocabulary(h mdBlock, body []mdBlock) {
	d := im.d
	var terms []Term
	var left pieces
	pending := ""
	addLeft := func(s string, list ast.Node) {
		if pending != "" {
			left.add(pending, nil)
			pending = ""
		}
		left.add(s, list)
	}
	for _, b := range trimBreaks(body) {
		switch {
		case b.level > 0:
			pending = d.text(b.start, b.end)
		case b.node.Kind() == east.KindTable:
			if ts, ok := d.vocabTable(b); ok {
				terms = append(terms, ts...)
			} else {
				addLeft(d.text(b.start, b.end), nil)
			}
		case b.node.Kind() == ast.KindList:
			for _, it := range d.items(b) {
				if t, ok := parseTermItem(it.text); ok {
					terms = append(terms, t)
				} else {
					addLeft(d.text(it.start, it.end), b.node)
				}
			}
		case b.isBreak():
		default:
			addLeft(d.text(b.start, b.end), nil)
		}
	}
	if len(terms) == 0 {
		im.custom(h, body)
		return
	}
	im.p.Vocabulary = append(im.p.Vocabulary, terms...)
	im.last = keyVocabulary
	im.leftover(h.text, left.String())
}

// grammar maps sub-headings to points (their lists to examples, the rest to
// the explanation) and list items before any sub-heading to points.
func (im *importer) grammar(h mdBlock, body []mdBlock) {
	d := im.d
	var points []Grammar
	var left pieces
	k := nextHeading(body, 0, 6)
	for _, b := range trimBreaks(body[:k]) {
		switch b.node.Kind() {
		case ast.KindList:
			for _, it := range d.items(b) {
				if g, ok := grammarItem(it.text); ok {
					points = append(points, g)
				} else {
					left.add(d.text(it.start, it.end), b.node)
				}
			}
		case ast.KindThematicBreak:
		default:
			left.add(d.text(b.start, b.end), nil)
		}
	}
	if k < len(body) {
		level := body[k].level
		for k < len(body) {
			sub := body[k]
			e := nextHeading(body, k+1, level)
			g := Grammar{Point: sub.text}
			g.Examples, g.Explanation = d.splitLists(body[k+1 : e])
			points = append(points, g)
			k = e
		}
	}
	if len(points) == 0 {
		im.custom(h, body)
		return
	}
	im.p.Grammar = append(im.p.Grammar, points...)
	im.last = keyGrammar
	im.leftover(h.text, left.String())
}

// splitLists returns the items of the top-level lists among blocks and the
// source of the other blocks.
func (d *mdDoc) splitLists(blocks []mdBlock) (items []string, other string) {
	var runs []string
	var run []mdBlock
	flush := func() {
		if t := d.raw(run); t != "" {
			runs = append(runs, t)
		}
		run = nil
	}
	for _, b := range trimBreaks(blocks) {
		if b.node.Kind() == ast.KindList {
			flush()
			for _, it := range d.items(b) {
				if it.text != "" {
					items = append(items, it.text)
				}
			}
			continue
		}
		run = append(run, b)
	}
	flush()
	return items, strings.Join(runs, "\n\n")
}

// grammarItem reads a list item as a grammar point: its first paragraph is
// the point (text after a colon or a bold lead-in is the explanation),
// nested lists are examples and other blocks add to the explanation.
func grammarItem(item string) (Grammar, bool) {
	sub := newDoc([]byte(item))
	blocks := trimBreaks(sub.blocks)
	if len(blocks) == 0 || blocks[0].node.Kind() != ast.KindParagraph {
		return Grammar{}, false
	}
	point, expl := splitLead(sub.text(blocks[0].start, blocks[0].end))
	if point == "" {
		return Grammar{}, false
	}
	g := Grammar{Point: point}
	var rest string
	g.Examples, rest = sub.splitLists(blocks[1:])
	g.Explanation = expl
	appendText(&g.Explanation, rest)
	return g, true
}

// splitLead splits "**Point**: text", "**Point** – text" or "Point: text"
// into the point and the rest.
func splitLead(para string) (lead, rest string) {
	para = strings.TrimSpace(para)
	for _, m := range []string{"**", "__"} {
		if strings.HasPrefix(para, m) {
			if j := strings.Index(para[len(m):], m); j > 0 {
				lead = para[len(m) : len(m)+j]
				rest = strings.TrimSpace(para[len(m)+j+len(m):])
				rest = strings.TrimSpace(strings.TrimLeft(rest, ":：–—-"))
				return strings.TrimSpace(strings.TrimRight(lead, ":：")), rest
			}
		}
	}
	first, _, _ := strings.Cut(para, "\n")
	if i := strings.IndexAny(first, ":："); i > 0 && utf8.RuneCountInString(first[:i]) <= 60 {
		_, w := utf8.DecodeRuneInString(first[i:])
		return strings.TrimSpace(para[:i]), strings.TrimSpace(para[i+w:])
	}
	return para, ""
}

// procedure maps sub-headings to stages and the headings one level below
// them to steps. Text before the first stage heading (the whole section when
// there is none) becomes a stage named after the section, unless it is just
// a table whose columns name stage, time and activities.
func (im *importer) procedure(h mdBlock, body []mdBlock) {
	d := im.d
	k := nextHeading(body, 0, 6)
	intro := trimBreaks(body[:k])
	var stages []Stage
	if len(intro) == 1 && intro[0].node.Kind() == east.KindTable {
		if ts, ok := d.procedureTable(intro[0]); ok {
			stages = ts
			intro = nil
		}
	}
	if len(intro) > 0 {
		name, minutes := cutTiming(h.text)
		stages = append(stages, im.stage(name, minutes, intro, 0))
	}
	if k < len(body) {
		level := body[k].level
		for k < len(body) {
			sub := body[k]
			e := nextHeading(body, k+1, level)
			name, minutes := stageName(sub.text)
			stages = append(stages, im.stage(name, minutes, body[k+1:e], level+1))
			k = e
		}
	}
	im.p.Procedure = append(im.p.Procedure, stages...)
	im.last = keyProcedure
}

// stageName takes the timing out of a stage heading. A heading that is
// nothing but a timing keeps its text as the name.
func stageName(text string) (string, int) {
	name, minutes := cutTiming(text)
	if name == "" {
		name = text
	}
	return name, minutes
}

// stage builds one stage from its body: headings of stepLevel start steps,
// deeper headings stay in the text; labelled paragraphs fill the teacher,
// students, purpose and interaction fields and the rest is the content.
func (im *importer) stage(name string, minutes int, body []mdBlock, stepLevel int) Stage {
	st := Stage{Name: name}
	if minutes >= 0 {
		m := minutes
		st.Minutes = &m
	}
	k := len(body)
	if stepLevel > 0 {
		for i, b := range body {
			if b.level == stepLevel {
				k = i
				break
			}
		}
	}
	im.fillStage(&st, body[:k])
	for k < len(body) {
		sub := body[k]
		e := nextHeading(body, k+1, stepLevel)
		sn, sm := stageName(sub.text)
		st.Steps = append(st.Steps, im.stage(sn, sm, body[k+1:e], 0))
		k = e
	}
	return st
}

// fillStage sorts a stage's blocks into its labelled fields and its
// content. A label alone on its line ("教师活动：") takes the blocks after
// it up to the next label; a label followed by text takes that paragraph
// and any lists right after it.
func (im *importer) fillStage(st *Stage, blocks []mdBlock) {
	d := im.d
	var content []string
	var run []mdBlock
	flush := func() {
		if t := d.raw(run); t != "" {
			content = append(content, t)
		}
		run = nil
	}
	field, takeAll := "", false
	for _, b := range trimBreaks(blocks) {
		kind := b.node.Kind()
		if kind == ast.KindParagraph {
			if f, rest, ok := cutLabel(d.text(b.start, b.end)); ok {
				flush()
				appendText(stageField(st, f), rest)
				field, takeAll = f, rest == ""
				continue
			}
		}
		if kind == ast.KindList {
			if fields, ok := labelledItems(d.items(b)); ok {
				flush()
				for _, fv := range fields {
					appendText(stageField(st, fv[0]), fv[1])
				}
				field = ""
				continue
			}
		}
		if field != "" && (takeAll || kind == ast.KindList || kind == east.KindTable ||
			kind == ast.KindFencedCodeBlock) {
			appendText(stageField(st, field), d.text(b.start, b.end))
			continue
		}
		field = ""
		run = append(run, b)
	}
	flush()
	appendText(&st.Content, strings.Join(content, "\n\n"))
}

func stageField(st *Stage, f string) *string {
	switch f {
	case "teacher":
		return &st.Teacher
	case "students":
		return &st.Students
	case "purpose":
		return &st.Purpose
	case "interaction":
		return &st.Interaction
	}
	return &st.Content
}

// labelAliases maps a normalised label ("teacher's activity", "教师活动") to
// the stage field it fills.
var labelAliases = map[string]string{}

func init() {
	add := func(field string, names ...string) {
		for _, n := range names {
			labelAliases[n] = field
		}
	}
	add("teacher", "teacher", "teachers", "teacher's activity", "teacher's activities",
		"teacher activity", "teacher activities", "teachers' activities", "teacher's role",
		"教师活动", "教师", "老师活动", "教师行为")
	add("students", "students", "student", "students' activity", "students' activities",
		"student's activity", "student activity", "student activities", "learners",
		"学生活动", "学生", "学生行为")
	add("purpose", "purpose", "aim", "rationale", "design intention", "design purpose",
		"intention", "设计意图", "意图", "活动目的", "设计目的")
	add("interaction", "interaction", "interaction pattern", "interaction mode", "mode",
		"grouping", "互动方式", "互动", "组织形式", "活动形式", "互动模式")
}

// normLabel lowers a label and drops emphasis markers.
func normLabel(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '*', '_':
			return -1
		case '’':
			return '\''
		}
		return unicode.ToLower(r)
	}, s)
	return spacesRe.ReplaceAllString(strings.TrimSpace(s), " ")
}

// cutLabel recognises a paragraph that starts with a stage label such as
// "Teacher:", "**Purpose:**" or "教师活动：" and returns the field and the
// text after the label.
func cutLabel(para string) (field, rest string, ok bool) {
	first, _, _ := strings.Cut(para, "\n")
	i := strings.IndexAny(first, ":：")
	if i <= 0 || i > 80 {
		return "", "", false
	}
	field, ok = labelAliases[normLabel(first[:i])]
	if !ok {
		return "", "", false
	}
	_, w := utf8.DecodeRuneInString(para[i:])
	rest = strings.TrimLeft(para[i+w:], " \t")
	for _, m := range []string{"**", "__", "*", "_"} {
		if strings.HasPrefix(rest, m) && strings.Count(first[:i], m) == 1 {
			rest = strings.TrimPrefix(rest, m)
			break
		}
	}
	return field, strings.TrimSpace(rest), true
}

// labelledItems reports whether every item of a list starts with a stage
// label, and if so returns each item's field and text.
func labelledItems(items []listItem) ([][2]string, bool) {
	if len(items) == 0 {
		return nil, false
	}
	out := make([][2]string, 0, len(items))
	for _, it := range items {
		f, rest, ok := cutLabel(it.text)
		if !ok {
			return nil, false
		}
		out = append(out, [2]string{f, rest})
	}
	return out, true
}

// boardDesign keeps the content of the section's first code block verbatim,
// or the whole body when there is none. Other blocks beside a code block are
// kept as a custom section right after.
func (im *importer) boardDesign(h mdBlock, body []mdBlock) {
	d := im.d
	var left pieces
	found := false
	for _, b := range trimBreaks(body) {
		k := b.node.Kind()
		if !found && (k == ast.KindFencedCodeBlock || k == ast.KindCodeBlock) {
			found = true
			im.p.BoardDesign = codeText(b.node, d.src)
			continue
		}
		if !b.isBreak() {
			left.add(d.text(b.start, b.end), nil)
		}
	}
	if !found {
		im.p.BoardDesign = d.raw(body)
		left = pieces{}
	}
	im.last = keyBoardDesign
	im.leftover(h.text, left.String())
}

// codeText is the content of a code block as written.
func codeText(n ast.Node, src []byte) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		b.Write(s.Value(src))
	}
	return strings.TrimRight(b.String(), "\n")
}

// analysis reads an analysis section whose sub-headings name the analysis
// of the teaching material and of the students. Without such sub-headings
// the section is kept as a custom section.
func (im *importer) analysis(h mdBlock, body []mdBlock) {
	d := im.d
	k := nextHeading(body, 0, 6)
	if k == len(body) {
		im.custom(h, body)
		return
	}
	im.leftover(h.text, d.raw(body[:k]))
	level := body[k].level
	for k < len(body) {
		sub := body[k]
		e := nextHeading(body, k+1, level)
		key := headingKey(sub.text, analysisSubAliases)
		if key == "" {
			hk := headingKey(sub.text, headingAliases)
			if hk == keyMaterialAn || hk == keyStudentsAn {
				key = hk
			}
		}
		if key == "" {
			im.custom(sub, body[k+1:e])
		} else {
			im.setAnalysis(key, d.raw(body[k+1:e]))
		}
		k = e
	}
}

// detectLanguage returns "zh-CN" when most headings hold Chinese, else
// "en". A file without headings is judged by its text.
func (im *importer) detectLanguage() string {
	han, total := 0, 0
	for _, b := range im.d.blocks {
		if b.level > 0 && strings.TrimSpace(b.text) != "" {
			total++
			if hasHan(b.text) {
				han++
			}
		}
	}
	if total == 0 {
		hanRunes, latin := 0, 0
		for _, r := range string(im.d.src) {
			switch {
			case unicode.Is(unicode.Han, r):
				hanRunes++
			case r < unicode.MaxASCII && unicode.IsLetter(r):
				latin++
			}
		}
		// A Chinese character carries about as much as a short word.
		if hanRunes*4 > latin {
			return "zh-CN"
		}
		return "en"
	}
	if han*2 > total {
		return "zh-CN"
	}
	return "en"
}
