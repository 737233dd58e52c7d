package lesson

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// tableRows returns the cells of a GFM table block, the header row first,
// each row padded or cut to the header's width. It reports false when a
// row's position is unknown.
func (d *mdDoc) tableRows(b mdBlock) ([][]string, bool) {
	var rows [][]string
	for c := b.node.FirstChild(); c != nil; c = c.NextSibling() {
		pos := firstPos(c)
		if pos < 0 {
			return nil, false
		}
		cells := splitRow(d.line(d.lineOf(pos)))
		if len(rows) > 0 {
			w := len(rows[0])
			for len(cells) < w {
				cells = append(cells, "")
			}
			cells = cells[:w]
		}
		rows = append(rows, cells)
	}
	return rows, len(rows) > 0
}

var brRe = regexp.MustCompile(`(?i)<br\s*/?>`)

// splitRow splits a table row at its unescaped pipes.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line) && line[i+1] == '|':
			cur.WriteByte('|')
			i++
		case line[i] == '|':
			cells = append(cells, cleanCell(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, cleanCell(cur.String()))
}

func cleanCell(s string) string {
	return strings.TrimSpace(brRe.ReplaceAllString(strings.TrimSpace(s), "\n"))
}

// normColumn normalises a table header for lookup.
func normColumn(s string) string {
	s = normLabel(unescapeMarkdown(s))
	s = strings.TrimSpace(bracketRe.ReplaceAllString(s, " "))
	return strings.TrimRight(spacesRe.ReplaceAllString(s, " "), ":：.")
}

// indexColumns are headers of numbering columns, which tables may have and
// importers may drop.
var indexColumns = map[string]bool{"": true, "#": true, "no": true, "no.": true,
	"number": true, "序号": true, "编号": true}

var vocabColumns = map[string]string{}

func init() {
	add := func(field string, names ...string) {
		for _, n := range names {
			vocabColumns[n] = field
		}
	}
	add("term", "term", "terms", "word", "words", "vocabulary", "new word", "new words",
		"phrase", "phrases", "expression", "expressions", "单词", "词汇", "生词", "词语", "短语")
	add("pos", "part of speech", "pos", "p.o.s.", "word class", "词性")
	add("phonetic", "phonetic", "phonetics", "pronunciation", "ipa", "phonetic symbol",
		"phonetic transcription", "音标", "发音", "读音")
	add("meaning", "meaning", "meanings", "definition", "definitions", "translation",
		"chinese", "chinese meaning", "释义", "词义", "意思", "中文", "中文意思", "中文释义", "含义")
	add("example", "example", "examples", "example sentence", "sentence", "例句", "例子")
}

// columnFields maps each column of a header row to a field through names,
// or reports false when a column is unknown or two name the same field.
func columnFields(header []string, names map[string]string) ([]string, bool) {
	fields := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		n := normColumn(h)
		if f, ok := names[n]; ok {
			if seen[f] {
				return nil, false
			}
			seen[f] = true
			fields[i] = f
			continue
		}
		if !indexColumns[n] {
			return nil, false
		}
	}
	return fields, true
}

// vocabTable reads a table whose columns are all recognised and one of
// which holds the term.
func (d *mdDoc) vocabTable(b mdBlock) ([]Term, bool) {
	rows, ok := d.tableRows(b)
	if !ok {
		return nil, false
	}
	fields, ok := columnFields(rows[0], vocabColumns)
	if !ok || !contains(fields, "term") {
		return nil, false
	}
	var terms []Term
	for _, row := range rows[1:] {
		var t Term
		empty := true
		for i, c := range row {
			if c != "" {
				empty = false
			}
			switch fields[i] {
			case "term":
				t.Term = stripEmphasis(c)
			case "pos":
				t.PartOfSpeech = c
			case "phonetic":
				t.Phonetic = c
			case "meaning":
				t.Meaning = c
			case "example":
				t.Example = c
			}
		}
		if empty {
			continue
		}
		if t.Term == "" {
			return nil, false
		}
		terms = append(terms, t)
	}
	return terms, len(terms) > 0
}

var procColumns = map[string]string{}

func init() {
	add := func(field string, names ...string) {
		for _, n := range names {
			procColumns[n] = field
		}
	}
	add("name", "stage", "stages", "step", "steps", "phase", "teaching step", "teaching steps",
		"procedure", "环节", "教学环节", "步骤", "教学步骤", "阶段", "教学过程")
	add("minutes", "time", "minutes", "mins", "duration", "timing", "时间", "时长", "用时",
		"时间分配")
	add("content", "content", "contents", "activity", "activities", "details", "教学内容", "内容",
		"活动内容")
	for k, v := range labelAliases {
		procColumns[k] = v
	}
}

// procedureTable reads a table of stages: one column names the stage, the
// others its time and activities. Every column must be recognised and every
// time cell readable.
func (d *mdDoc) procedureTable(b mdBlock) ([]Stage, bool) {
	rows, ok := d.tableRows(b)
	if !ok {
		return nil, false
	}
	fields, ok := columnFields(rows[0], procColumns)
	if !ok || !contains(fields, "name") {
		return nil, false
	}
	var stages []Stage
	for _, row := range rows[1:] {
		var st Stage
		for i, c := range row {
			switch f := fields[i]; f {
			case "name":
				name, m := stageName(c)
				st.Name = name
				if m >= 0 && !contains(fields, "minutes") {
					st.Minutes = &m
				}
			case "minutes":
				if c == "" {
					continue
				}
				m, ok := parseDuration(c)
				if !ok || m > 600 {
					return nil, false
				}
				st.Minutes = &m
			case "":
			default:
				*stageField(&st, f) = c
			}
		}
		stages = append(stages, st)
	}
	return stages, len(stages) > 0
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// stripEmphasis removes emphasis or code markers wrapped around the whole
// of s.
func stripEmphasis(s string) string {
	s = strings.TrimSpace(s)
	for range 2 {
		for _, m := range []string{"**", "__", "*", "_", "`"} {
			if len(s) > 2*len(m) && strings.HasPrefix(s, m) && strings.HasSuffix(s, m) {
				s = strings.TrimSpace(s[len(m) : len(s)-len(m)])
				break
			}
		}
	}
	return s
}

var (
	posWords = map[string]bool{
		"n": true, "v": true, "vt": true, "vi": true, "adj": true, "adv": true, "prep": true,
		"pron": true, "conj": true, "interj": true, "int": true, "num": true, "art": true,
		"det": true, "aux": true, "modal": true, "phr": true, "abbr": true, "pl": true,
		"noun": true, "verb": true, "adjective": true, "adverb": true, "preposition": true,
		"pronoun": true, "conjunction": true, "interjection": true, "phrase": true,
		"名词": true, "动词": true, "形容词": true, "副词": true, "介词": true, "代词": true,
		"连词": true, "短语": true, "数词": true, "感叹词": true,
	}
	posTokenRe = regexp.MustCompile(`^(?:(?:n|v|vt|vi|adj|adv|prep|pron|conj|interj|num|art|` +
		`det|aux|phr|abbr)\.\s*(?:[/&]\s*)?)+`)
	exampleMark = regexp.MustCompile(`(?i)(?:\be\.g\.|\bexample:|例句[:：]|例[:：])\s*`)
)

// termSeparators end a term written without emphasis in a list item.
var termSeparators = []string{" (", "（", " /", " [", " – ", " — ", " - ", ":", "：", " = ", "\t"}

// looksLikePOS reports whether s names a part of speech, such as "n.",
// "v./n." or "adjective".
func looksLikePOS(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || utf8.RuneCountInString(s) > 20 {
		return false
	}
	for _, t := range strings.FieldsFunc(s, func(r rune) bool {
		return r == '/' || r == ',' || r == '&' || r == ' ' || r == '、' || r == '.'
	}) {
		if !posWords[t] {
			return false
		}
	}
	return true
}

// parseTermItem reads a one-line vocabulary list item such as
// "**drizzle** /ˈdrɪz(ə)l/ (n.) – light rain. e.g. It's drizzling." It
// reports false for text that does not look like one.
func parseTermItem(item string) (Term, bool) {
	s := strings.TrimSpace(item)
	if s == "" || strings.Contains(s, "\n") {
		return Term{}, false
	}
	var t Term
	emph := false
	for _, m := range []string{"**", "__", "`", "*", "_"} {
		if strings.HasPrefix(s, m) {
			if j := strings.Index(s[len(m):], m); j > 0 {
				t.Term = strings.TrimSpace(s[len(m) : len(m)+j])
				s = strings.TrimSpace(s[len(m)+j+len(m):])
				emph = true
			}
			break
		}
	}
	if !emph {
		end := len(s)
		for _, sep := range termSeparators {
			if i := strings.Index(s, sep); i >= 0 && i < end {
				end = i
			}
		}
		t.Term = strings.TrimSpace(s[:end])
		s = strings.TrimSpace(s[end:])
		if utf8.RuneCountInString(t.Term) > 40 || strings.Count(t.Term, " ") > 3 {
			return Term{}, false
		}
	}
	t.Term = strings.TrimRight(t.Term, ":：")
	if t.Term == "" {
		return Term{}, false
	}

	for range 3 {
		switch {
		case strings.HasPrefix(s, "/"):
			j := strings.Index(s[1:], "/")
			if j < 0 {
				break
			}
			t.Phonetic = s[:j+2]
			s = strings.TrimSpace(s[j+2:])
			continue
		case strings.HasPrefix(s, "["):
			j := strings.Index(s, "]")
			if j < 0 {
				break
			}
			t.Phonetic = s[:j+1]
			s = strings.TrimSpace(s[j+1:])
			continue
		case strings.HasPrefix(s, "(") || strings.HasPrefix(s, "（"):
			open := "("
			close := ")"
			if strings.HasPrefix(s, "（") {
				open, close = "（", "）"
			}
			j := strings.Index(s, close)
			if j < 0 || !looksLikePOS(s[len(open):j]) {
				break
			}
			t.PartOfSpeech = strings.TrimSpace(s[len(open):j])
			s = strings.TrimSpace(s[j+len(close):])
			continue
		default:
			if m := posTokenRe.FindString(s); m != "" {
				t.PartOfSpeech = strings.TrimSpace(m)
				s = strings.TrimSpace(s[len(m):])
				continue
			}
		}
		break
	}
	for _, sep := range []string{"–", "—", "-", ":", "：", "=", ",", "，"} {
		if strings.HasPrefix(s, sep) {
			s = strings.TrimSpace(s[len(sep):])
			break
		}
	}
	if loc := exampleMark.FindStringIndex(s); loc != nil {
		t.Example = strings.TrimSpace(s[loc[1]:])
		s = strings.TrimRight(strings.TrimSpace(s[:loc[0]]), " ;；,，(（.。")
	}
	t.Meaning = strings.TrimSpace(s)
	return t, true
}
