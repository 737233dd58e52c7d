package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConvertWritesEachFormatBesideOrWhereTold(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"word", "pdf", "pptx", "markdown", "docx", "md"} {
		out := filepath.Join(dir, "family-"+f)
		if err := convert([]string{"../../testdata/examples/my-family.json", "--format", f, "-o", out}); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if fi, err := os.Stat(out); err != nil || fi.Size() == 0 || fi.Mode().Perm() != 0o644 {
			t.Fatalf("%s: %v %v", f, fi, err)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*"))
	if len(left) > 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

func TestConvertNeverReplacesADevice(t *testing.T) {
	if err := convert([]string{"../../testdata/examples/weather-forecast.md", "-f", "markdown",
		"-o", os.DevNull}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(os.DevNull)
	if err != nil || fi.Mode()&os.ModeDevice == 0 {
		t.Fatalf("%s is no longer a device: %v %v", os.DevNull, fi, err)
	}
}

func TestConvertReportsBadInputAndLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"title": "", "duration_minutes": 0}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "bad.pdf")
	err := convert([]string{bad, "--format", "pdf", "-o", out})
	if err == nil || !strings.Contains(err.Error(), "/title") || !strings.Contains(err.Error(), "/duration_minutes") {
		t.Fatalf("error = %v, want every problem with its path", err)
	}
	if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
		t.Fatal("a file was written for bad input")
	}
	if err := convert([]string{bad, "--format", "odt"}); err == nil || !strings.Contains(err.Error(), "word") {
		t.Fatalf("unknown format error = %v", err)
	}
}

func TestConvertRefusesToOverwriteTheLesson(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "notes.md")
	body := []byte("# My notes\n\n## Objectives\n\n- one\n")
	if err := os.WriteFile(in, body, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := convert([]string{in, "--format", "markdown"}); err == nil ||
		!strings.Contains(err.Error(), "overwrite") {
		t.Fatalf("err = %v", err)
	}
	if got, _ := os.ReadFile(in); string(got) != string(body) {
		t.Fatal("the lesson was changed")
	}
}
