package lesson

import (
	"strings"
	"testing"
	"time"

	"github.com/yuin/goldmark/text"
)

func TestPerfScratch2(t *testing.T) {
	var b strings.Builder; for i := 0; i < 2000; i++ { b.WriteString(strings.Repeat("  ", i) + "- x\n") }
	inputs := map[string]string{
		"nested lists":  "# T\n\n## Objectives\n\n" + b.String(),
		"emph":          "# T\n\n" + strings.Repeat("*a **b _c", 20000) + "\n",
	}
	for name, in := range inputs {
		start := time.Now()
		markdown.Parser().Parse(text.NewReader([]byte(in)))
		t.Logf("goldmark %s: %v", name, time.Since(start))
		start = time.Now()
		newDoc([]byte(in))
		t.Logf("newDoc %s: %v", name, time.Since(start))
	}
}
