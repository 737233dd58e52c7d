package formats_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"testing"

	"lessonexport/formats"
	"lessonexport/lesson"
	"lessonexport/render"
)

func example(b *testing.B) *lesson.Plan {
	b.Helper()
	data, err := os.ReadFile("../testdata/examples/my-family.json")
	if err != nil {
		b.Fatal(err)
	}
	p, err := lesson.ParseJSON(data)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// large is a plan with n procedure stages, each with a step.
func large(n int) *lesson.Plan {
	p := &lesson.Plan{Title: "A semester 一学期", Language: "zh-CN", Subject: "English"}
	for i := range n {
		m := 5
		p.Procedure = append(p.Procedure, lesson.Stage{
			Name: fmt.Sprintf("Stage %d 环节", i+1), Minutes: &m, Interaction: "T-Ss",
			Teacher:  "展示图片，提问 *What can you see?*",
			Students: "回答问题并两人练习。", Purpose: "激活已有知识。",
			Steps: []lesson.Stage{{Name: "Drill", Content: "1. Listen\n2. Repeat **twice**"}},
		})
	}
	return p
}

// BenchmarkRender measures rendering alone: plan to blocks.
func BenchmarkRender(b *testing.B) {
	for _, tc := range []struct {
		name string
		plan *lesson.Plan
	}{{"example", example(b)}, {"2000-stages", large(2000)}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n := 0
				for range render.Blocks(tc.plan) {
					n++
				}
			}
		})
	}
}

// BenchmarkWrite measures rendering and each writer, the work of one
// conversion after import.
func BenchmarkWrite(b *testing.B) {
	plans := []struct {
		name string
		plan *lesson.Plan
	}{{"example", example(b)}, {"2000-stages", large(2000)}}
	for _, f := range formats.All {
		for _, tc := range plans {
			b.Run(string(f)+"/"+tc.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := formats.Write(context.Background(), io.Discard, f, tc.plan); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
