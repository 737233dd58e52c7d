package officetest

import (
	"archive/zip"
	"bytes"
	"context"
	"html"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"lessonexport/document"
	"lessonexport/formats"
	"lessonexport/formats/ooxml/ooxmltest"
	"lessonexport/lesson"
	"lessonexport/render"
)

// squeeze removes white space, so that texts compare whatever the line
// breaks a page layout put in them.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// blocksText is the text of blocks, runs concatenated.
func blocksText(bs []document.Block) string {
	var b strings.Builder
	for _, x := range bs {
		switch x := x.(type) {
		case document.Paragraph:
			b.WriteString(document.Text(x.Runs) + "\n")
		case document.List:
			for _, it := range x.Items {
				b.WriteString(blocksText(it.Blocks))
			}
		case document.Table:
			for _, row := range append([][]document.Cell{x.Header}, x.Rows...) {
				for _, c := range row {
					b.WriteString(blocksText(c.Blocks))
				}
			}
		case document.Preformatted:
			b.WriteString(x.Text + "\n")
		}
	}
	return b.String()
}

// planTexts returns the texts a reader must find in a document of p: every
// string field, rich text as it reads without markup (raw when markup is
// true, for Markdown files read as plain text), split into lines; numbers
// as digits. The language tag, the id and section positions are not shown.
func planTexts(p *lesson.Plan, markup bool) []string {
	var out []string
	add := func(s string, rich bool) {
		if rich && !markup {
			s = blocksText(render.RichText(s))
		}
		for _, line := range strings.Split(s, "\n") {
			if squeeze(line) != "" {
				out = append(out, line)
			}
		}
	}
	var walk func(v reflect.Value, name string)
	walk = func(v reflect.Value, name string) {
		switch v.Kind() {
		case reflect.String:
			switch name {
			case "Language", "ID", "After":
				return
			}
			add(v.String(), name != "BoardDesign")
		case reflect.Int:
			if v.Int() != 0 {
				add(strconv.FormatInt(v.Int(), 10), false)
			}
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem(), name)
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i), name)
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i), v.Type().Field(i).Name)
			}
		}
	}
	walk(reflect.ValueOf(p).Elem(), "")
	return out
}

// found reports whether text, squeezed, holds line: whole, or failing that
// its words in order, since text extraction may interleave the lines of
// narrow table cells side by side.
func found(text, line string) bool {
	if strings.Contains(text, squeeze(line)) {
		return true
	}
	for _, w := range strings.Fields(line) {
		i := strings.Index(text, w)
		if i < 0 {
			return false
		}
		text = text[i+len(w):]
	}
	return true
}

// convert has LibreOffice turn file into PDF in dir, with a profile of its
// own, and returns the PDF's path.
func convert(t *testing.T, soffice, file, dir string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	profile := "file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	out := filepath.Join(dir, "pdf")
	cmd := exec.CommandContext(ctx, soffice, "-env:UserInstallation="+profile, "--headless",
		"--convert-to", "pdf", "--outdir", out, file)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("convert %s: %v\n%s", filepath.Base(file), err, msg)
	}
	pdf := filepath.Join(out, strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))+".pdf")
	if _, err := os.Stat(pdf); err != nil {
		t.Fatalf("convert %s: no PDF: %v", filepath.Base(file), err)
	}
	return pdf
}

// pdfText returns the text of pdf twice: in reading order, and in the order
// the page draws it. Table cells side by side come out whole in one or the
// other.
func pdfText(t *testing.T, pdftotext, pdf string) []string {
	t.Helper()
	var texts []string
	for _, mode := range []string{"", "-raw"} {
		args := []string{"-enc", "UTF-8", pdf, "-"}
		if mode != "" {
			args = append([]string{mode}, args...)
		}
		out, err := exec.Command(pdftotext, args...).Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", filepath.Base(pdf), err)
		}
		texts = append(texts, squeeze(string(out)))
	}
	return texts
}

var tagRe = regexp.MustCompile(`<[^>]*>`)

// notesText returns the text of a presentation's speaker notes, which a
// PDF of the slides leaves out.
func notesText(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("open pptx: %v", err)
	}
	var b strings.Builder
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "ppt/notesSlides/") || !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(html.UnescapeString(tagRe.ReplaceAllString(string(x), "")))
	}
	return squeeze(b.String())
}

// TestLibreOffice writes each example in every format, opens the DOCX,
// PPTX and Markdown files in LibreOffice, has it print them to PDF, and
// looks for every text of the plan in what it printed; the PDF export is
// read directly. Conversions run one after another: LibreOffice instances
// do not share a profile well.
func TestLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in short mode: LibreOffice conversions take seconds")
	}
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("NOTICE: soffice (LibreOffice) is not on PATH; the check that every format " +
			"opens in LibreOffice did not run")
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("NOTICE: pdftotext (poppler-utils) is not on PATH; the LibreOffice check did not run")
	}
	dir := t.TempDir()
	for _, ex := range ooxmltest.Examples {
		p := ooxmltest.LoadExample(t, ex)
		base := strings.TrimSuffix(ex, filepath.Ext(ex))
		for _, f := range formats.All {
			t.Run(base+"/"+string(f), func(t *testing.T) {
				var buf bytes.Buffer
				if err := formats.Write(context.Background(), &buf, f, p); err != nil {
					t.Fatalf("write: %v", err)
				}
				file := filepath.Join(dir, base+"-"+string(f)+f.Extension())
				if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				pdf := file
				if f != formats.PDF {
					pdf = convert(t, soffice, file, dir)
				}
				got := pdfText(t, pdftotext, pdf)
				if f == formats.PPTX {
					got = append(got, notesText(t, buf.Bytes()))
				}
				if f == formats.Markdown {
					// LibreOffice shows Markdown as plain text, pipes
					// escaped in table cells as written.
					for i := range got {
						got[i] = strings.ReplaceAll(got[i], `\|`, "|")
					}
				}
				for _, want := range planTexts(p, f == formats.Markdown) {
					if !slices.ContainsFunc(got, func(s string) bool {
						return found(s, want)
					}) {
						t.Errorf("%q not found in what LibreOffice shows", want)
					}
				}
			})
		}
	}
}
