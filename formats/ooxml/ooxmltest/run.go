package ooxmltest

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"lessonexport/document"
)

// NewWriter makes a writer of one format over w, as the writers'
// constructors do.
type NewWriter func(w io.Writer, m document.Meta) (document.Writer, error)

// Write writes blocks with a writer made by newWriter and returns the file.
func Write(newWriter NewWriter, m document.Meta, blocks []document.Block) ([]byte, error) {
	var buf bytes.Buffer
	w, err := newWriter(&buf, m)
	if err != nil {
		return nil, err
	}
	for _, b := range blocks {
		if err := w.WriteBlock(b); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Parts writes blocks with a writer made by newWriter, checks the package
// and returns its parts by name, failing the test on any error.
func Parts(t *testing.T, newWriter NewWriter, m document.Meta,
	blocks []document.Block) map[string][]byte {
	t.Helper()
	data, err := Write(newWriter, m, blocks)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := Check(data)
	if err != nil {
		t.Fatal(err)
	}
	return parts
}

// Deterministic fails the test when two writes of the sample document with
// writers made by newWriter differ.
func Deterministic(t *testing.T, newWriter NewWriter) {
	t.Helper()
	a, err := Write(newWriter, Meta(), Blocks())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Write(newWriter, Meta(), Blocks())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("two writes of the same document differ")
	}
}

// AfterClose fails the test unless a writer made by newWriter refuses a
// block and a second Close once it is closed.
func AfterClose(t *testing.T, newWriter NewWriter) {
	t.Helper()
	var buf bytes.Buffer
	w, err := newWriter(&buf, document.Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.WriteBlock(document.Plain("x")); err == nil {
		t.Error("WriteBlock after Close succeeded")
	}
	if err := w.Close(); err == nil {
		t.Error("second Close succeeded")
	}
}

// Fuzz writes FuzzBlocks(s, n) with a writer made by newWriter and fails
// the test on an error or a package that does not pass Check.
func Fuzz(t *testing.T, newWriter NewWriter, s string, n int) {
	t.Helper()
	m, blocks := FuzzBlocks(s, n)
	data, err := Write(newWriter, m, blocks)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Check(data); err != nil {
		t.Fatal(err)
	}
}

// Golden compares got with testdata/name, rewriting the file when update
// is set.
func Golden(t *testing.T, name string, got []byte, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run with -update if the change is "+
			"intended\ngot:\n%.2000s", name, got)
	}
}

// Office converts the file data named name to PDF with LibreOffice and
// returns the PDF's text, skipping the test when soffice or pdftotext is
// not installed.
func Office(t *testing.T, name string, data []byte) string {
	t.Helper()
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice (LibreOffice) is not on PATH; skipping the office check")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, name)
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	profile := "file://" + filepath.ToSlash(filepath.Join(dir, "profile"))
	out := filepath.Join(dir, "out")
	cmd := exec.Command(soffice, "-env:UserInstallation="+profile, "--headless",
		"--convert-to", "pdf", "--outdir", out, in)
	msg, err := cmd.CombinedOutput()
	pdf := filepath.Join(out, strings.TrimSuffix(name, filepath.Ext(name))+".pdf")
	if _, statErr := os.Stat(pdf); statErr != nil {
		t.Fatalf("LibreOffice did not convert %s: %v\n%s", name, err, msg)
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext is not on PATH; the PDF was made but its text is not checked")
	}
	text, err := exec.Command(pdftotext, "-enc", "UTF-8", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(text)
}

// OfficeSample writes the sample document with a writer made by newWriter
// to a file called name, converts it with Office and fails the test for
// each phrase missing from the PDF's text.
func OfficeSample(t *testing.T, newWriter NewWriter, name string, phrases ...string) {
	t.Helper()
	data, err := Write(newWriter, Meta(), Blocks())
	if err != nil {
		t.Fatal(err)
	}
	Contains(t, "PDF text", Office(t, name, data), phrases...)
}

// Squash removes all white space, for comparing extracted text.
func Squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// Contains fails the test for each phrase missing from text, ignoring
// white space.
func Contains(t *testing.T, where, text string, phrases ...string) {
	t.Helper()
	have := Squash(text)
	for _, p := range phrases {
		if !strings.Contains(have, Squash(p)) {
			t.Errorf("%s lacks %q", where, p)
		}
	}
}
