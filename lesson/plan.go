package lesson

// Plan is one lesson plan as a teacher wrote it. Its JSON form is the lesson
// plan schema (schema.json in this package), extended by three fields that keep
// what a Markdown import found and the schema has no place for: Preface,
// Metadata and Section.After.
//
// Every string field that the schema calls rich text holds CommonMark with GFM
// tables; BoardDesign is kept verbatim.
type Plan struct {
	ID              string    `json:"id,omitempty"`
	Title           string    `json:"title"`
	Subject         string    `json:"subject,omitempty"`
	Level           string    `json:"level,omitempty"`
	Language        string    `json:"language,omitempty"`
	Textbook        string    `json:"textbook,omitempty"`
	Unit            string    `json:"unit,omitempty"`
	DurationMinutes int       `json:"duration_minutes,omitempty"`
	ClassSize       int       `json:"class_size,omitempty"`
	Teacher         string    `json:"teacher,omitempty"`
	School          string    `json:"school,omitempty"`
	Date            string    `json:"date,omitempty"`
	Tags            []string  `json:"tags,omitempty"`
	Metadata        []Field   `json:"metadata,omitempty"`
	Preface         string    `json:"preface,omitempty"`
	Analysis        *Analysis `json:"analysis,omitempty"`
	Objectives      []string  `json:"objectives,omitempty"`
	KeyPoints       []string  `json:"key_points,omitempty"`
	Difficulties    []string  `json:"difficulties,omitempty"`
	Materials       []string  `json:"materials,omitempty"`
	Vocabulary      []Term    `json:"vocabulary,omitempty"`
	Grammar         []Grammar `json:"grammar,omitempty"`
	Procedure       []Stage   `json:"procedure,omitempty"`
	BoardDesign     string    `json:"board_design,omitempty"`
	Homework        []string  `json:"homework,omitempty"`
	Assessment      string    `json:"assessment,omitempty"`
	Reflection      string    `json:"reflection,omitempty"`
	Sections        []Section `json:"sections,omitempty"`
}

// Field is a named value the schema has no field for, such as an unknown key
// of a Markdown file's front matter. Documents show it beside the standard
// information fields.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Analysis holds the analysis of the teaching material (教材分析) and of the
// students (学情分析).
type Analysis struct {
	Material string `json:"material,omitempty"`
	Students string `json:"students,omitempty"`
}

// Term is one vocabulary entry.
type Term struct {
	Term         string `json:"term"`
	PartOfSpeech string `json:"part_of_speech,omitempty"`
	Phonetic     string `json:"phonetic,omitempty"`
	Meaning      string `json:"meaning,omitempty"`
	Example      string `json:"example,omitempty"`
}

// Grammar is one grammar point with its explanation and examples.
type Grammar struct {
	Point       string   `json:"point"`
	Explanation string   `json:"explanation,omitempty"`
	Examples    []string `json:"examples,omitempty"`
}

// Stage is one stage of the teaching procedure (教学过程). Minutes is nil when
// the plan gives no timing, so that a stage of zero minutes stays visible.
type Stage struct {
	Name        string  `json:"name"`
	Minutes     *int    `json:"minutes,omitempty"`
	Interaction string  `json:"interaction,omitempty"`
	Teacher     string  `json:"teacher,omitempty"`
	Students    string  `json:"students,omitempty"`
	Purpose     string  `json:"purpose,omitempty"`
	Content     string  `json:"content,omitempty"`
	Steps       []Stage `json:"steps,omitempty"`
}

// Section is a further section with a plain-text heading and a CommonMark
// body.
//
// After names the standard section it follows, by its JSON key (for example
// "objectives"), so that a Markdown import keeps a section it did not
// recognise where the teacher put it. Empty After places it after all the
// standard sections, as the schema says; "title" places it before the first.
type Section struct {
	Heading string `json:"heading"`
	Body    string `json:"body"`
	After   string `json:"after,omitempty"`
}

// Chinese reports whether the plan's section headings are to be in Chinese.
func (p *Plan) Chinese() bool {
	l := p.Language
	return l == "zh" || len(l) > 3 && (l[:3] == "zh-" || l[:3] == "zh_")
}
