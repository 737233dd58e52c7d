package ooxmltest

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"lessonexport/lesson"
	"lessonexport/render"
)

// Examples are the file names of the example plans of the repository.
var Examples = []string{"my-family.json", "weather-forecast.md"}

// LoadExample parses the example plan name, read from the repository's
// testdata/examples folder as seen from a package two levels below the
// module root, as Markdown when its name ends in .md and as JSON otherwise.
func LoadExample(t *testing.T, name string) *lesson.Plan {
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

// ExamplesGolden writes each example plan with a writer made by newWriter,
// checks that two writes are the same and that the package is well formed,
// and compares the parts content picks, in name order, with the golden file
// testdata/examples/NAME.xml, rewriting it when update is set.
func ExamplesGolden(t *testing.T, newWriter NewWriter, content func(part string) bool,
	update bool) {
	t.Helper()
	for _, ex := range Examples {
		name := strings.TrimSuffix(ex, filepath.Ext(ex))
		t.Run(name, func(t *testing.T) {
			p := LoadExample(t, ex)
			data, err := Write(newWriter, render.Meta(p), slices.Collect(render.Blocks(p)))
			if err != nil {
				t.Fatal(err)
			}
			again, err := Write(newWriter, render.Meta(p), slices.Collect(render.Blocks(p)))
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != string(data) {
				t.Error("two writes of the same plan differ")
			}
			parts, err := Check(data)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for n := range parts {
				if content(n) {
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
			Golden(t, "examples/"+name+".xml", []byte(b.String()), update)
		})
	}
}
