package lesson

import (
	"errors"
	"testing"
)

func TestParseByMediaType(t *testing.T) {
	jsonDoc := []byte(`{"title":"From JSON"}`)
	mdDoc := []byte("# From Markdown\n")
	tests := []struct {
		mediaType string
		data      []byte
		title     string
		unknown   bool
	}{
		{"application/json", jsonDoc, "From JSON", false},
		{"application/json; charset=utf-8", jsonDoc, "From JSON", false},
		{"application/lesson+json", jsonDoc, "From JSON", false},
		{"text/markdown", mdDoc, "From Markdown", false},
		{"text/markdown; charset=UTF-8", mdDoc, "From Markdown", false},
		{"text/x-markdown", mdDoc, "From Markdown", false},
		{"TEXT/PLAIN", mdDoc, "From Markdown", false},
		{"text/html", mdDoc, "", true},
		{"", mdDoc, "", true},
		{"not a type;;", mdDoc, "", true},
		{"text/markdown; charset=gbk", mdDoc, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.mediaType, func(t *testing.T) {
			p, err := Parse(tc.data, tc.mediaType)
			if tc.unknown {
				if !errors.Is(err, ErrUnsupported) {
					t.Fatalf("err = %v, want ErrUnsupported", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "title", p.Title, tc.title)
		})
	}
}

func TestParseFileByExtension(t *testing.T) {
	tests := []struct {
		name    string
		data    string
		title   string
		unknown bool
	}{
		{"plan.json", `{"title":"J"}`, "J", false},
		{"dir/Plan.JSON", `{"title":"J"}`, "J", false},
		{"plan.md", "# M", "M", false},
		{"plan.markdown", "# M", "M", false},
		{"plan.docx", "# M", "", true},
		{"plan", "# M", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseFile(tc.name, []byte(tc.data))
			if tc.unknown {
				if !errors.Is(err, ErrUnsupported) {
					t.Fatalf("err = %v, want ErrUnsupported", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "title", p.Title, tc.title)
		})
	}
}
