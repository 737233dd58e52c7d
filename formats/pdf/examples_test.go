package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"lessonexport/document"
	"lessonexport/lesson"
	"lessonexport/render"
)

// examples are the example lesson plans of the repository.
var examples = []string{
	"../../testdata/examples/my-family.json",
	"../../testdata/examples/weather-forecast.md",
}

// loadExample parses the example plan at path.
func loadExample(t testing.TB, path string) (document.Meta, []document.Block) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var p *lesson.Plan
	if strings.HasSuffix(path, ".md") {
		p, err = lesson.ParseMarkdown(data)
	} else {
		p, err = lesson.ParseJSON(data)
	}
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	var blocks []document.Block
	for b := range render.Blocks(p) {
		blocks = append(blocks, b)
	}
	return render.Meta(p), blocks
}

// squeeze removes all white space from s.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

// TestExamples writes the example plans and checks with pdftotext that
// their headings, paragraphs and stages are in the PDF, and that the
// header of the procedure table is on every page the table is on, once;
// qpdf, when installed, checks the file's structure.
func TestExamples(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed; skipping the example check")
	}
	for _, path := range examples {
		t.Run(filepath.Base(path), func(t *testing.T) {
			meta, blocks := loadExample(t, path)
			data := write(t, meta, blocks)
			checkPDF(t, data)
			file := filepath.Join(t.TempDir(), "example.pdf")
			if *outDir != "" {
				file = filepath.Join(*outDir, filepath.Base(path)+".pdf")
			}
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := exec.LookPath("qpdf"); err == nil {
				out, err := exec.Command("qpdf", "--check", file).CombinedOutput()
				if err != nil || bytes.Contains(out, []byte("WARNING")) {
					t.Errorf("qpdf --check: %v\n%s", err, out)
				}
			}
			pages := pdfPages(t, file)
			all := squeeze(strings.Join(pages, ""))
			want := []string{squeeze(meta.Title)}
			var header string
			var stages []string
			for _, b := range blocks {
				switch b := b.(type) {
				case document.Heading:
					want = append(want, squeeze(b.Text))
				case document.Paragraph:
					want = append(want, squeeze(document.Text(b.Runs)))
				case document.Table:
					if b.Role != document.ProcedureTable {
						continue
					}
					if !b.Continues {
						if header != "" {
							t.Fatal("more than one procedure table")
						}
						header = squeeze(cellText(b.Header[0].Blocks))
					}
					for _, r := range b.Rows {
						stages = append(stages, squeeze(cellText(r[0].Blocks)))
					}
				}
			}
			if header == "" || len(stages) < 5 {
				t.Fatalf("procedure table: header %q, %d rows", header, len(stages))
			}
			for _, s := range append(want, stages...) {
				if !strings.Contains(all, s) {
					t.Errorf("the PDF lacks %q", s)
				}
			}
			on := 0
			for i, page := range pages {
				text := squeeze(page)
				rows := 0
				for _, s := range stages {
					if strings.Contains(text, s) {
						rows++
					}
				}
				n := strings.Count(text, header)
				switch {
				case rows > 0 && n != 1:
					t.Errorf("page %d has %d rows and the header %d times", i+1, rows, n)
				case rows == 0 && n != 0:
					t.Errorf("page %d has no rows but the header %d times", i+1, n)
				}
				if rows > 0 {
					on++
				}
			}
			if on == 0 {
				t.Error("no page has the procedure table")
			}
		})
	}
}

// pdfPages returns the text of each page of the PDF file.
func pdfPages(t *testing.T, file string) []string {
	t.Helper()
	out, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	n := 0
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			n, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if n == 0 {
		t.Fatalf("pdfinfo gives no page count:\n%s", out)
	}
	pages := make([]string, n)
	for i := range pages {
		p := strconv.Itoa(i + 1)
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", "-f", p, "-l", p, file,
			"-").Output()
		if err != nil {
			t.Fatalf("pdftotext page %s: %v", p, err)
		}
		pages[i] = string(bytes.TrimSpace(out))
	}
	return pages
}
