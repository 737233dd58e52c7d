package pdf

import (
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"lessonexport/document"
)

// stageTable returns the part of a procedure table for stage i, as a
// renderer makes it: one table per stage, each continuing the one before.
func stageTable(i int) document.Table {
	t := document.Table{Role: document.ProcedureTable, Continues: i > 0,
		Keys:   []string{"stage", "minutes", "teacher", "students", "content"},
		Widths: []float64{2.2, 1.6, 3.2, 3.2, 3.6}}
	for _, h := range []string{"环节", "时间", "教师活动", "学生活动", "教学内容"} {
		t.Header = append(t.Header, cell(h))
	}
	n := strconv.Itoa(i + 1)
	t.Rows = [][]document.Cell{
		{cell(n + ". 热身 Warm-up"), cell("5分钟"),
			cell(strings.Repeat("教师展示家庭照片并提问。", 1+i%3)),
			cell("Students answer: This is my father."), cell("复习单词 " + n)},
		{cell(n + ".1 Step"), cell("2分钟"), cell("提问"), cell("回答"), {}},
	}
	t.Depths = []int{0, 1}
	return t
}

// liveHeap returns the bytes of live heap after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// writeStages writes a document of a procedure table of n stages to
// io.Discard and returns the most live heap seen while writing it.
func writeStages(t testing.TB, n int) uint64 {
	w, err := NewWriter(io.Discard, document.Meta{Title: "Long lesson 长教案"})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WriteBlock(document.Heading{Level: 1, Text: "教学过程"}); err != nil {
		t.Fatal(err)
	}
	peak := uint64(0)
	for i := range n {
		if err := w.WriteBlock(stageTable(i)); err != nil {
			t.Fatal(err)
		}
		if i%100 == 99 || i == n-1 {
			peak = max(peak, liveHeap())
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return peak
}

// TestMemoryFlat checks that the memory a document needs does not grow
// with its length: pages go out as they are complete.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	writeStages(t, 10) // load the fonts
	base := liveHeap()
	small := writeStages(t, 10)
	large := writeStages(t, 2000)
	t.Logf("live heap above the base: %d KB for 10 stages, %d KB for 2000",
		(small-min(small, base))>>10, (large-min(large, base))>>10)
	// 2,000 stages make some 300 pages; what is kept per page (an offset
	// and a number per object) is a few dozen bytes.
	if large > small+1<<20 {
		t.Errorf("live heap grows with the document: %d KB for 10 stages, %d KB for 2000",
			small>>10, large>>10)
	}
}

// BenchmarkStages reports the most live heap for 10 and 1000 stages.
func BenchmarkStages(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			peak := uint64(0)
			for b.Loop() {
				peak = max(peak, writeStages(b, n))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-live-MB")
		})
	}
}
