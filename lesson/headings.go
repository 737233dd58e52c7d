package lesson

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Section keys the Markdown importer recognises. They are the JSON keys of
// the standard sections, with analysis split in its two parts.
const (
	keyObjectives   = "objectives"
	keyKeyPoints    = "key_points"
	keyDifficulties = "difficulties"
	keyMaterials    = "materials"
	keyVocabulary   = "vocabulary"
	keyGrammar      = "grammar"
	keyProcedure    = "procedure"
	keyBoardDesign  = "board_design"
	keyHomework     = "homework"
	keyAssessment   = "assessment"
	keyReflection   = "reflection"
	keyAnalysis     = "analysis"
	keyMaterialAn   = "analysis.material"
	keyStudentsAn   = "analysis.students"
)

// headingAliases maps a normalised heading (see headingKey) to its section.
var headingAliases = map[string]string{}

func init() {
	add := func(key string, names ...string) {
		for _, n := range names {
			headingAliases[n] = key
		}
	}
	add(keyObjectives, "objectives", "objective", "learning objectives", "teaching objectives",
		"lesson objectives", "aims", "aim", "lesson aims", "teaching aims", "learning aims",
		"goals", "learning goals", "teaching goals", "lesson goals", "learning outcomes",
		"教学目标", "学习目标", "目标", "教学目的", "三维目标", "课程目标")
	add(keyKeyPoints, "key points", "key point", "teaching focus", "focus", "teaching key points",
		"key teaching points", "important points", "教学重点", "重点", "学习重点")
	add(keyDifficulties, "difficulties", "difficulty", "teaching difficulties",
		"teaching difficulty", "difficult points", "anticipated difficulties",
		"anticipated problems", "教学难点", "难点", "学习难点")
	add(keyMaterials, "materials", "material", "teaching materials", "teaching aids", "aids",
		"resources", "teaching resources", "preparation", "preparations",
		"materials and resources", "equipment", "教学准备", "教具准备", "教学资源", "教具",
		"课前准备", "准备", "教学用具", "教学媒体")
	add(keyVocabulary, "vocabulary", "key words", "keywords", "key vocabulary", "words",
		"new words", "words and expressions", "target vocabulary", "词汇", "重点词汇", "生词",
		"单词", "新词", "词汇表", "重点单词")
	add(keyGrammar, "grammar", "grammar points", "grammar point", "grammar focus", "key grammar",
		"sentence patterns", "语法", "语法要点", "语法点", "句型", "重点句型")
	add(keyProcedure, "procedure", "procedures", "teaching procedure", "teaching procedures",
		"teaching process", "lesson procedure", "teaching steps", "lesson steps", "steps",
		"lesson stages", "stages", "教学过程", "教学步骤", "教学环节", "教学流程", "课堂流程")
	add(keyBoardDesign, "board design", "blackboard design", "board plan", "blackboard plan",
		"blackboard writing", "board writing", "board work", "whiteboard plan", "板书设计", "板书")
	add(keyHomework, "homework", "assignment", "assignments", "homework assignment", "作业",
		"作业布置", "课后作业", "布置作业", "家庭作业")
	add(keyAssessment, "assessment", "evaluation", "teaching evaluation",
		"assessment and evaluation", "教学评价", "评价", "课堂评价", "学习评价", "评价设计")
	add(keyReflection, "reflection", "reflections", "teaching reflection", "notes after the lesson",
		"notes after lesson", "post-lesson reflection", "post lesson reflection",
		"lesson reflection", "教学反思", "反思", "课后反思")
	add(keyMaterialAn, "material analysis", "materials analysis", "analysis of teaching material",
		"analysis of teaching materials", "analysis of the teaching material",
		"analysis of the teaching materials", "teaching material analysis", "textbook analysis",
		"教材分析")
	add(keyStudentsAn, "student analysis", "students analysis", "students' analysis",
		"learner analysis", "learners analysis", "analysis of students",
		"analysis of the students", "analysis of learners", "学情分析", "学生分析")
	add(keyAnalysis, "analysis", "teaching analysis", "教学分析", "分析")
}

// analysisSubAliases are the further names a sub-heading of an analysis
// section may have.
var analysisSubAliases = map[string]string{
	"教材": keyMaterialAn, "material": keyMaterialAn, "materials": keyMaterialAn,
	"textbook": keyMaterialAn, "teaching material": keyMaterialAn,
	"学情": keyStudentsAn, "学生": keyStudentsAn, "students": keyStudentsAn,
	"student": keyStudentsAn, "learners": keyStudentsAn,
}

var (
	numberingRes = []*regexp.Regexp{
		regexp.MustCompile(`^[\p{So}\p{Sk}*•·\-–—\s]+`),
		regexp.MustCompile(
			`^(?:part|step|section|unit)\s+(?:\d+|[ivxlc]+|[a-z])\b\s*[:.：、)\-–—]?\s*`),
		regexp.MustCompile(`^第[一二三四五六七八九十百零〇\d]+(?:部分|章|节|步|环节|课时|点)?\s*[:：、.．]?\s*`),
		regexp.MustCompile(`^[（(]\s*(?:[一二三四五六七八九十]+|\d+)\s*[)）]\s*[、.．]?\s*`),
		regexp.MustCompile(`^\d+(?:\.\d+)*\s*[.、．)）:：]?\s*`),
		regexp.MustCompile(`^[一二三四五六七八九十]+\s*[、.．:：]\s*`),
		regexp.MustCompile(`^[ivx]+[.)、:]\s*`),
		regexp.MustCompile(`^[a-z][.)、]\s+`),
		regexp.MustCompile(`^[①-⑳]\s*`),
	}
	bracketRe  = regexp.MustCompile(`[(（\[【][^)）\]】]*[)）\]】]`)
	trailingRe = regexp.MustCompile(`[\s:：.。]+$`)
	spacesRe   = regexp.MustCompile(`\s+`)
)

// normHeading lowers a heading and strips leading numbering ("1.", "一、",
// "（一）", "Part 1:"), a timing and trailing colons.
func normHeading(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.ReplaceAll(s, "’", "'")
	for range 3 {
		before := s
		for _, re := range numberingRes {
			s = re.ReplaceAllString(s, "")
		}
		if s == before {
			break
		}
	}
	s, _ = cutTiming(s)
	s = trailingRe.ReplaceAllString(s, "")
	s = strings.TrimPrefix(s, "the ")
	return spacesRe.ReplaceAllString(strings.TrimSpace(s), " ")
}

// headingKey returns the section a heading names, or "" for a heading the
// importer does not recognise. Bilingual headings such as "教学目标 Teaching
// objectives" or "Objectives（教学目标）" are recognised by either part.
func headingKey(text string, aliases map[string]string) string {
	n := normHeading(text)
	cands := []string{n, normHeading(bracketRe.ReplaceAllString(n, " ")),
		normHeading(hanPart(n)), normHeading(latinPart(n))}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if k, ok := aliases[c]; ok {
			return k
		}
		if k, ok := aliases[strings.TrimSuffix(c, "s")]; ok && strings.HasSuffix(c, "s") {
			return k
		}
	}
	return ""
}

func hanPart(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Han, r) {
			return r
		}
		return ' '
	}, s)
}

func latinPart(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Han, r) || r > unicode.MaxLatin1 && unicode.IsPunct(r) {
			return ' '
		}
		return r
	}, s)
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

var timingRes = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\s*[(（\[【]\s*(?:about|approx\.?|约|大约|~|～)?\s*(\d{1,4})\s*` +
		`(?:minutes?|mins?|m|分钟|分|['’′])\s*[)）\]】]`),
	regexp.MustCompile(`(?i)\s*[-–—:：,，]?\s*(?:about|约)?\s*(\d{1,4})\s*` +
		`(?:minutes?|mins?|分钟|['’′])\s*$`),
}

// cutTiming removes a timing such as "(10 minutes)", "（5分钟）" or "- 5'"
// from a heading. It reports the minutes, or -1 when there is no timing or
// it is longer than a stage may be.
func cutTiming(s string) (string, int) {
	for _, re := range timingRes {
		loc := re.FindStringSubmatchIndex(s)
		if loc == nil {
			continue
		}
		n, err := strconv.Atoi(s[loc[2]:loc[3]])
		if err != nil || n > 600 {
			return s, -1
		}
		rest := strings.TrimSpace(s[:loc[0]] + s[loc[1]:])
		rest = strings.TrimRight(rest, " -–—:：,，")
		return rest, n
	}
	return s, -1
}
