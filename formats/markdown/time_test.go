package markdown

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTimeCorpus(t *testing.T) {
	dir := os.Getenv("CORPUS")
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		data, _ := os.ReadFile(f)
		lines := strings.Split(string(data), "\n")
		s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "string("), ")"))
		if err != nil {
			t.Log(f, err)
			continue
		}
		n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(lines[2], "uint16("), ")"))
		start := time.Now()
		done := make(chan bool)
		go func() {
			checkWriter(t, s, uint16(n))
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			t.Fatalf("slow: %s len %d %q", f, len(s), s[:min(300, len(s))])
		}
		if d := time.Since(start); d > 50*time.Millisecond {
			t.Logf("%s: %v len %d", f, d, len(s))
		}
	}
}
