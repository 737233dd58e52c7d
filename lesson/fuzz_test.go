package lesson

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// addExamples seeds a fuzz target with the example plans of this module and
// the Markdown edge cases the tests use.
func addExamples(f *testing.F, ext string) {
	f.Helper()
	names, _ := filepath.Glob(filepath.Join("..", "testdata", "examples", "*"+ext))
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkParsed fails unless the parser returned exactly one of a plan that
// passes Validate and a *ValidationError with at least one problem.
func checkParsed(t *testing.T, p *Plan, err error) {
	t.Helper()
	if err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("error is not a *ValidationError: %v", err)
		}
		if len(ve.Problems) == 0 || p != nil {
			t.Fatalf("error %v with %d problems and plan %v", err, len(ve.Problems), p)
		}
		for _, pr := range ve.Problems {
			if pr.Message == "" {
				t.Fatalf("problem without a message at %q", pr.Path)
			}
		}
		return
	}
	if p == nil {
		t.Fatal("no plan and no error")
	}
	if verr := p.Validate(); verr != nil {
		t.Fatalf("returned plan does not validate: %v", verr)
	}
}

func FuzzParseMarkdown(f *testing.F) {
	addExamples(f, ".md")
	for _, tc := range markdownCases {
		f.Add([]byte(tc.in))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseMarkdown(data)
		checkParsed(t, p, err)
	})
}

func FuzzParseJSON(f *testing.F) {
	addExamples(f, ".json")
	f.Add([]byte(`{"title":"a","procedure":[{"name":"b","minutes":5,"steps":[{"name":"c"}]}]}`))
	f.Add([]byte(`{"title":"a","duration_minutes":4.5e1,"class_size":1e3}`))
	f.Add([]byte(`{"title":"  "}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParseJSON(data)
		checkParsed(t, p, err)
	})
}
