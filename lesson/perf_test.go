package lesson

import (
	"strings"
	"testing"
	"time"
)

func TestPerfScratch(t *testing.T) {
	inputs := map[string]string{
		"nested quotes": "# T\n\n## Objectives\n\n" + strings.Repeat(">", 5000) + " x\n",
		"nested lists":  "# T\n\n## Objectives\n\n" + func() string { var b strings.Builder; for i := 0; i < 2000; i++ { b.WriteString(strings.Repeat("  ", i) + "- x\n") }; return b.String() }(),
		"many headings": "# T\n\n" + strings.Repeat("## Procedure\n\n### a (5 min)\n\nTeacher: x\n\n#### b\n\ny\n\n", 20000),
		"many items":    "# T\n\n## Vocabulary\n\n" + strings.Repeat("- **w** (n.) – m\n", 50000),
		"big table":     "# T\n\n## Vocabulary\n\n| Word | Meaning |\n|---|---|\n" + strings.Repeat("| w | m |\n", 50000),
		"emph":          "# T\n\n" + strings.Repeat("*a **b _c", 20000) + "\n",
		"yaml alias":    "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n---\n# T\n",
	}
	for name, in := range inputs {
		start := time.Now()
		_, err := ParseMarkdown([]byte(in))
		t.Logf("%s: %d bytes, %v, err=%v", name, len(in), time.Since(start), err != nil)
	}
}
