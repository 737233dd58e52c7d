package lesson

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func BenchmarkParseJSON(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "examples", "my-family.json"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ParseJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseMarkdown(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "examples", "weather-forecast.md"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ParseMarkdown(data); err != nil {
			b.Fatal(err)
		}
	}
}

// largePlan returns the JSON example with its procedure repeated until the
// document is about 900 KB, the size of the largest lessons.
func largePlan(b *testing.B) []byte {
	b.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "examples", "my-family.json"))
	if err != nil {
		b.Fatal(err)
	}
	p, err := ParseJSON(data)
	if err != nil {
		b.Fatal(err)
	}
	stages := p.Procedure
	for len(data) < 900<<10 {
		p.Procedure = append(p.Procedure, stages...)
		if data, err = json.Marshal(p); err != nil {
			b.Fatal(err)
		}
	}
	return data
}

func BenchmarkParseJSONLarge(b *testing.B) {
	data := largePlan(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}
