package pdf

import (
	"os"
	"path/filepath"
	"testing"

	"lessonexport/document"
	"lessonexport/lesson"
	"lessonexport/render"
)

func TestZZExamples(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/examples/*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := lesson.ParseFile(filepath.Base(f), data)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := os.Create(filepath.Join("/tmp/pdfout", filepath.Base(f)+".pdf"))
		w, err := NewWriter(out, render.Meta(p))
		if err != nil {
			t.Fatal(err)
		}
		if err := document.Write(w, render.Blocks(p)); err != nil {
			t.Fatal(err)
		}
		out.Close()
	}
}
