package docx

import (
	"testing"

	"lessonexport/formats/ooxml/ooxmltest"
)

// TestExamplesGolden writes the example plans, checks that the package is
// well formed and compares its content parts with the golden files; run
// with -update to rewrite them.
func TestExamplesGolden(t *testing.T) {
	ooxmltest.ExamplesGolden(t, newWriter, contentPart, *update)
}

func contentPart(name string) bool {
	return name == "word/document.xml" || name == "docProps/core.xml"
}
