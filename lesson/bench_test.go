package lesson

import (
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
