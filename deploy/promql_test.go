package deploy

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// serviceMetrics are the metrics the service itself exports, with their types.
var serviceMetrics = map[string]string{
	"export_tasks_total":            "counter",
	"export_task_duration_seconds":  "histogram",
	"export_tasks_active":           "gauge",
	"export_tasks_queued":           "gauge",
	"export_storage_bytes":          "gauge",
	"export_errors_total":           "counter",
	"http_requests_total":           "counter",
	"http_request_duration_seconds": "histogram",
}

// metricPrefixes are families exported by libraries: the Temporal SDK through
// tally, and the Go and process collectors.
var metricPrefixes = []string{"temporal_", "go_", "process_"}

// knownMetric reports whether name is a service metric (a histogram's
// _bucket, _sum or _count series included) or belongs to a library family.
func knownMetric(name string) bool {
	if _, ok := serviceMetrics[name]; ok {
		return true
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && serviceMetrics[base] == "histogram" {
			return true
		}
	}
	for _, p := range metricPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

var (
	promqlStrings  = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|` + "`[^`]*`")
	promqlMatchers = regexp.MustCompile(`\{[^{}]*\}`)
	promqlRanges   = regexp.MustCompile(`\[[^\[\]]*\]`)
	promqlGrouping = regexp.MustCompile(
		`\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)`)
	promqlIdent = regexp.MustCompile(`[A-Za-z_:][A-Za-z0-9_:]*`)
)

var promqlKeywords = map[string]bool{
	"and": true, "or": true, "unless": true, "bool": true, "offset": true,
	"by": true, "without": true, "on": true, "ignoring": true,
	"group_left": true, "group_right": true, "inf": true, "nan": true,
}

// promqlMetricNames returns the metric names a PromQL expression selects:
// every identifier outside strings, label matchers, ranges and grouping
// clauses that is neither a keyword nor a function name. It is a lexical
// approximation, not a parser; it returns an error on unbalanced brackets.
func promqlMetricNames(expr string) ([]string, error) {
	if err := balanced(expr); err != nil {
		return nil, err
	}
	s := promqlStrings.ReplaceAllString(expr, `""`)
	s = promqlMatchers.ReplaceAllString(s, " ")
	s = promqlRanges.ReplaceAllString(s, " ")
	s = promqlGrouping.ReplaceAllString(s, " ")
	seen := map[string]bool{}
	for _, loc := range promqlIdent.FindAllStringIndex(s, -1) {
		word := s[loc[0]:loc[1]]
		if loc[0] > 0 {
			if c := s[loc[0]-1]; c == '$' || c == '.' || (c >= '0' && c <= '9') {
				continue // a Grafana variable, or an exponent or unit of a number
			}
		}
		if promqlKeywords[strings.ToLower(word)] {
			continue
		}
		if rest := strings.TrimLeft(s[loc[1]:], " \t\n"); strings.HasPrefix(rest, "(") {
			continue // a function or an aggregation
		}
		seen[word] = true
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}

// balanced checks that (), [] and {} nest properly outside string literals.
func balanced(expr string) error {
	var stack []rune
	pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
	var quote rune
	escaped := false
	for i, r := range expr {
		if quote != 0 {
			switch {
			case escaped:
				escaped = false
			case r == '\\' && quote != '`':
				escaped = true
			case r == quote:
				quote = 0
			}
			continue
		}
		switch r {
		case '"', '\'', '`':
			quote = r
		case '(', '[', '{':
			stack = append(stack, r)
		case ')', ']', '}':
			if len(stack) == 0 || stack[len(stack)-1] != pairs[r] {
				return fmt.Errorf("unexpected %q at offset %d", r, i)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if quote != 0 {
		return fmt.Errorf("unterminated string")
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed %q", stack[len(stack)-1])
	}
	return nil
}

func TestPromqlMetricNames(t *testing.T) {
	tests := []struct {
		expr    string
		want    string
		wantErr bool
	}{
		{expr: `sum(export_tasks_active)`, want: "export_tasks_active"},
		{
			expr: `sum by (status, format) (rate(export_tasks_total{format=~"$format"}[$__rate_interval]))`,
			want: "export_tasks_total",
		},
		{
			expr: `histogram_quantile(0.95, sum by (format, le) ` +
				`(rate(export_task_duration_seconds_bucket[5m])))`,
			want: "export_task_duration_seconds_bucket",
		},
		{
			expr: `a_total / ignoring(type) group_left() b_bytes > 1e9 offset 5m`,
			want: "a_total b_bytes",
		},
		{
			expr: `absent(up{job="w"} == 1) or (sum(x{y="or (z)"}) or vector(0)) == 0`,
			want: "up x",
		},
		{expr: `sum(rate(foo[5m])`, wantErr: true},
		{expr: `foo{a="b"]`, wantErr: true},
		{expr: `foo{a="b}`, wantErr: true},
	}
	for _, tt := range tests {
		got, err := promqlMetricNames(tt.expr)
		if tt.wantErr {
			if err == nil {
				t.Errorf("promqlMetricNames(%q) = %v, want an error", tt.expr, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("promqlMetricNames(%q): %v", tt.expr, err)
			continue
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("promqlMetricNames(%q) = %v, want %s", tt.expr, got, tt.want)
		}
	}
}

func TestKnownMetric(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"export_tasks_total", true},
		{"export_task_duration_seconds_bucket", true},
		{"http_request_duration_seconds_count", true},
		{"export_tasks_total_bucket", false},
		{"temporal_workflow_completed", true},
		{"go_goroutines", true},
		{"process_resident_memory_bytes", true},
		{"export_task_total", false},
		{"up", false},
	}
	for _, tt := range tests {
		if got := knownMetric(tt.name); got != tt.want {
			t.Errorf("knownMetric(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
