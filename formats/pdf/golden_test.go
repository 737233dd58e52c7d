package pdf

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden PDFs in testdata/examples")

// TestExamplesGolden pins the bytes of both example PDFs: the writer is
// deterministic, so any change to its output shows here. Run with -update
// after a deliberate change, and look at the new files.
func TestExamplesGolden(t *testing.T) {
	for _, path := range examples {
		meta, blocks := loadExample(t, path)
		got := write(t, meta, blocks)
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + ".pdf"
		golden := filepath.Join("testdata", "examples", name)
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			at := 0
			for at < len(got) && at < len(want) && got[at] == want[at] {
				at++
			}
			t.Errorf("%s: output differs from %s from byte %d (%d bytes, golden %d)",
				path, golden, at, len(got), len(want))
		}
	}
}
