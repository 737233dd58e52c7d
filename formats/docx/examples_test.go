package docx

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"lessonexport/formats/ooxml/ooxmltest"
	"lessonexport/lesson"
	"lessonexport/render"
)

// examplePlans are the example plans of the repository.
var examplePlans = []string{"my-family.json", "weather-forecast.md"}

func loadExample(t *testing.T, name string) *lesson.Plan {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	var p *lesson.Plan
	if strings.HasSuffix(name, ".md") {
		p, err = lesson.ParseMarkdown(data)
	} else {
		p, err = lesson.ParseJSON(data)
	}
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return p
}

// TestExamplesGolden writes the example plans, checks that the package is
// well formed and compares its content parts with the golden files; run
// with -update to rewrite them.
func TestExamplesGolden(t *testing.T) {
	for _, ex := range examplePlans {
		name := strings.TrimSuffix(ex, filepath.Ext(ex))
		t.Run(name, func(t *testing.T) {
			p := loadExample(t, ex)
			data, err := ooxmltest.Write(newWriter, render.Meta(p), slices.Collect(render.Blocks(p)))
			if err != nil {
				t.Fatal(err)
			}
			again, err := ooxmltest.Write(newWriter, render.Meta(p), slices.Collect(render.Blocks(p)))
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != string(data) {
				t.Error("two writes of the same plan differ")
			}
			parts, err := ooxmltest.Check(data)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for n := range parts {
				if contentPart(n) {
					names = append(names, n)
				}
			}
			sort.Strings(names)
			var b strings.Builder
			for _, n := range names {
				b.WriteString("== " + n + "\n")
				b.Write(parts[n])
				b.WriteString("\n")
			}
			ooxmltest.Golden(t, "examples/"+name+".xml", []byte(b.String()), *update)
		})
	}
}

func contentPart(name string) bool {
	return name == "word/document.xml" || name == "docProps/core.xml"
}
