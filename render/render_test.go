package render

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lessonexport/document"
	"lessonexport/lesson"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// loadPlan reads a plan from JSON as the schema gives it.
func loadPlan(t *testing.T, path string) *lesson.Plan {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p lesson.Plan
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return &p
}

func collect(p *lesson.Plan) []document.Block {
	return slices.Collect(Blocks(p))
}

var examples = []struct{ name, path string }{
	{"my-family", "../testdata/examples/my-family.json"},
	{"weather-forecast", "testdata/weather-forecast.json"},
}

// TestExamplesGolden compares the blocks of the example plans with golden
// dumps; run with -update to rewrite them.
func TestExamplesGolden(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) {
			got := dump(collect(loadPlan(t, ex.path)))
			golden := filepath.Join("testdata", ex.name+".blocks.txt")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("blocks differ from %s:\n%s", golden, got)
			}
		})
	}
}

func TestMyFamily(t *testing.T) {
	bs := collect(loadPlan(t, "../testdata/examples/my-family.json"))
	var headings []string
	for _, b := range bs {
		if h, ok := b.(document.Heading); ok {
			headings = append(headings, strconv.Itoa(h.Level)+" "+h.Text)
		}
	}
	want := []string{
		"1 教学分析", "2 教材分析", "2 学情分析", "1 教学目标", "1 教学重点", "1 教学难点",
		"1 教学准备", "1 词汇", "1 语法", "1 教学过程", "1 板书设计",
		"1 作业布置", "1 教学评价", "1 教学反思",
	}
	if !slices.Equal(headings, want) {
		t.Errorf("headings:\n%s\nwant\n%s", strings.Join(headings, "\n"), strings.Join(want, "\n"))
	}
	info, ok := bs[0].(document.Table)
	if !ok || info.Role != document.InfoTable {
		t.Fatalf("first block is %T, want the information table", bs[0])
	}
	if got := dumpCells(info.Rows[2]); got != `{P["课时"] | P["45分钟"]}` {
		t.Errorf("duration row = %s", got)
	}
	tags := `{P["标签"] | P["family、possessives、speaking"]}`
	if got := dumpCells(info.Rows[len(info.Rows)-1]); got != tags {
		t.Errorf("tags row = %s", got)
	}
	var procs []document.Table
	for _, b := range bs {
		if t, ok := b.(document.Table); ok && t.Role == document.ProcedureTable {
			procs = append(procs, t)
		}
	}
	if len(procs) != 5 || procs[0].Continues || !procs[1].Continues {
		t.Fatalf("want 5 procedure tables, the later ones continuing the first: %d", len(procs))
	}
	wantKeys := []string{"stage", "minutes", "interaction", "teacher", "students", "content",
		"purpose"}
	if !slices.Equal(procs[0].Keys, wantKeys) {
		t.Errorf("procedure columns = %q", procs[0].Keys)
	}
	if got := dumpCells(procs[0].Header); !strings.HasPrefix(got, `{P["教学环节"] | P["时间"]`) {
		t.Errorf("procedure header = %s", got)
	}
	if got := dumpCells(procs[0].Rows[0][:2]); got != `{P[b:"1. " b:"Warm-up 热身"] | P["5分钟"]}` {
		t.Errorf("first stage = %s", got)
	}
	if len(procs[1].Rows) != 3 || !slices.Equal(procs[1].Depths, []int{0, 1, 1}) {
		t.Errorf("presentation rows = %d, depths %v", len(procs[1].Rows), procs[1].Depths)
	}
	if got := dumpCells(procs[1].Rows[1][:1]); got != `{P["2.1 " "Word cards"]}` {
		t.Errorf("step cell = %s", got)
	}
	var board []document.Preformatted
	for _, b := range bs {
		if p, ok := b.(document.Preformatted); ok {
			board = append(board, p)
		}
	}
	p := loadPlan(t, "../testdata/examples/my-family.json")
	if len(board) != 1 || board[0].Role != document.Board || board[0].Text != p.BoardDesign {
		t.Errorf("board design not kept verbatim: %+v", board)
	}
}

func TestEnglishLabels(t *testing.T) {
	p := loadPlan(t, "testdata/weather-forecast.json")
	min := 0
	p.Procedure[0].Minutes = &min
	p.Procedure[0].Purpose = "Get them *talking*.\n\nAnd thinking."
	p.Procedure[1].Minutes = nil
	bs := collect(p)
	text := dump(bs)
	for _, want := range []string{
		`head{P["Stage"] | P["Time"] | P["Content"] | P["Purpose"]}`,
		`row{P[b:"1. " b:"Lead-in"] | P["0 min"] | P["Show three photos`,
		`row{P[b:"2. " b:"Listening for gist"] |  | OL1`,
		`P["Get them " i:"talking" "."]`, `P["And thinking."]`,
		`{P["Duration"] | P["50 min"]}`,
		`head{P["Term"] | P["Part of speech"] | P["Meaning"]}`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %s in\n%s", want, text)
		}
	}
}

func TestMeta(t *testing.T) {
	epoch := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		date, lang string
		created    time.Time
		wantLang   string
	}{
		{"2026-09-15", "zh-CN", time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC), "zh-CN"},
		{"", "", epoch, "en"},
		{"15/09/2026", "en", epoch, "en"},
		{"2026-02-30", "fr", epoch, "fr"},
	}
	for _, tt := range tests {
		p := &lesson.Plan{Title: "T", Subject: "S", Teacher: "A", Tags: []string{"x"},
			Date: tt.date, Language: tt.lang}
		m := Meta(p)
		if !m.Created.Equal(tt.created) || m.Created.Location() != time.UTC {
			t.Errorf("date %q: Created = %v, want %v", tt.date, m.Created, tt.created)
		}
		if m.Language != tt.wantLang || m.Title != "T" || m.Subject != "S" || m.Author != "A" ||
			!slices.Equal(m.Keywords, []string{"x"}) {
			t.Errorf("Meta = %+v", m)
		}
	}
}

func TestCustomSections(t *testing.T) {
	p := &lesson.Plan{
		Title:      "T",
		Objectives: []string{"o"},
		Reflection: "r",
		Sections: []lesson.Section{
			{Heading: "End", Body: "e"},
			{Heading: "After objectives", Body: "a", After: "objectives"},
			{Heading: "Where grammar would be", Body: "g", After: "grammar"},
			{Heading: "First", Body: "f", After: "title"},
			{Heading: "Unknown place", Body: "u", After: "nowhere"},
			{Heading: "After objectives 2", Body: "a2", After: "objectives"},
		},
	}
	var got []string
	for b := range Blocks(p) {
		if h, ok := b.(document.Heading); ok {
			got = append(got, h.Text)
		}
	}
	want := []string{"First", "Objectives", "After objectives", "After objectives 2",
		"Where grammar would be", "Reflection", "End", "Unknown place"}
	if !slices.Equal(got, want) {
		t.Errorf("headings = %q, want %q", got, want)
	}
}

// fullPlan returns a plan with every field set to a distinct plain value.
func fullPlan() *lesson.Plan {
	n := 0
	next := func() string { n++; return "v" + strconv.Itoa(n) + "x" }
	var fill func(v reflect.Value)
	fill = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			v.SetString(next())
		case reflect.Int:
			n++
			v.SetInt(int64(1000 + n))
		case reflect.Pointer:
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem())
		case reflect.Slice:
			depth := 2
			v.Set(reflect.MakeSlice(v.Type(), depth, depth))
			for i := range depth {
				fill(v.Index(i))
			}
		case reflect.Struct:
			for i := range v.NumField() {
				f := v.Type().Field(i)
				if f.Name == "Steps" && v.Type() == reflect.TypeFor[lesson.Stage]() {
					continue
				}
				fill(v.Field(i))
			}
		}
	}
	p := &lesson.Plan{}
	fill(reflect.ValueOf(p).Elem())
	p.Date = "2026-01-02"
	p.Language = "en"
	for i := range p.Sections {
		p.Sections[i].After = ""
	}
	// Steps three deep.
	st := &p.Procedure[0]
	for range 3 {
		st.Steps = []lesson.Stage{{}, {}}
		fill(reflect.ValueOf(&st.Steps[0]).Elem())
		fill(reflect.ValueOf(&st.Steps[1]).Elem())
		st = &st.Steps[0]
	}
	return p
}

// TestEverythingAppears checks that every value of a fully populated plan
// appears in the text of its blocks, and the title in Meta.
func TestEverythingAppears(t *testing.T) {
	p := fullPlan()
	text := blockText(collect(p))
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			if !strings.Contains(text, v.String()) {
				t.Errorf("%s = %q does not appear", path, v.String())
			}
		case reflect.Int:
			if !strings.Contains(text, strconv.Itoa(int(v.Int()))) {
				t.Errorf("%s = %d does not appear", path, v.Int())
			}
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), path+"["+strconv.Itoa(i)+"]")
			}
		case reflect.Struct:
			for i := range v.NumField() {
				switch name := v.Type().Field(i).Name; name {
				case "ID", "Title", "Language", "After":
				default:
					walk(v.Field(i), path+"."+name)
				}
			}
		}
	}
	walk(reflect.ValueOf(p).Elem(), "Plan")
	if Meta(p).Title != p.Title {
		t.Errorf("title not in Meta")
	}
	if !strings.Contains(text, "1.1.1.1 ") || !strings.Contains(text, "1.1 ") {
		t.Errorf("steps not numbered in full:\n%s", text)
	}
}

// TestBlocksStopEarly stops the stream after every possible number of blocks;
// the iterator must not call yield again once it returned false.
func TestBlocksStopEarly(t *testing.T) {
	p := fullPlan()
	total := len(collect(p))
	for stop := range total {
		n := 0
		for range Blocks(p) {
			if n == stop {
				break
			}
			n++
		}
	}
}

// TestBlocksLazy checks that the stream of a plan with very many stages is
// produced as it is read: stopping early costs little memory.
func TestBlocksLazy(t *testing.T) {
	p := &lesson.Plan{Title: "Many", Procedure: make([]lesson.Stage, 200000)}
	for i := range p.Procedure {
		p.Procedure[i] = lesson.Stage{Name: "Stage", Teacher: "Talk *about* it.",
			Purpose: "A reason."}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	n := 0
	for range Blocks(p) {
		if n++; n == 20 {
			break
		}
	}
	runtime.ReadMemStats(&after)
	if used := after.TotalAlloc - before.TotalAlloc; used > 2<<20 {
		t.Errorf("reading 20 blocks allocated %d bytes", used)
	}
}

func TestEmptyPlan(t *testing.T) {
	if bs := collect(&lesson.Plan{Title: "Only a title"}); len(bs) != 0 {
		t.Errorf("blocks of an empty plan: %s", dump(bs))
	}
	p := &lesson.Plan{Title: "x", Analysis: &lesson.Analysis{}, Procedure: []lesson.Stage{{}}}
	want := `H1 "Procedure"` + "\n" + `TABLE [2.2]` + "\n" + `  head{P["Stage"]}` + "\n" +
		`  row{P[b:"1. "]}` + "\n"
	if got := dump(collect(p)); got != want {
		t.Errorf("got %s", got)
	}
}
