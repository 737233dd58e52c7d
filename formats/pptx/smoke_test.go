package pptx

import (
	"bytes"
	"os"
	"testing"

	"lessonexport/formats/ooxml/ooxmltest"
)

func TestSmoke(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, ooxmltest.Meta())
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range ooxmltest.Blocks() {
		if err := w.WriteBlock(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ooxmltest.Check(buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/ox/sample.pptx", buf.Bytes(), 0o644)
}
