package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"

	"lessonexport/document"
	"lessonexport/formats/docx"
	"lessonexport/formats/pptx"
	"lessonexport/lesson"
	"lessonexport/render"
)

func main() {
	for _, f := range os.Args[2:] {
		data, err := os.ReadFile(f)
		if err != nil {
			panic(err)
		}
		p, err := lesson.ParseFile(f, data)
		if err != nil {
			panic(err)
		}
		base := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		for _, ext := range []string{"docx", "pptx"} {
			var buf bytes.Buffer
			var w document.Writer
			if ext == "docx" {
				w, err = docx.NewWriter(&buf, render.Meta(p))
			} else {
				w, err = pptx.NewWriter(&buf, render.Meta(p))
			}
			if err != nil {
				panic(err)
			}
			if err := document.Write(w, render.Blocks(p)); err != nil {
				panic(err)
			}
			os.WriteFile(filepath.Join(os.Args[1], base+"."+ext), buf.Bytes(), 0o644)
		}
	}
}
