package pdf

import (
	"bytes"
	"sync"
	"testing"
)

// TestParallelSame checks that writers running at once, which share the
// parsed fonts and pooled buffers, give the same bytes as one alone.
func TestParallelSame(t *testing.T) {
	want := writeSample(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if !bytes.Equal(writeSample(t), want) {
				t.Error("parallel run differs")
			}
		}()
	}
	wg.Wait()
}
