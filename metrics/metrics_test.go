package metrics

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestLabelsStayInTheirFixedSets(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := New(reg)
	before := testutil.CollectAndCount(m.Tasks)
	for _, f := range []string{"odt", "../x", "WORD", "", "pdf2"} {
		m.Finished(Failed, f, 1, "made-up")
	}
	m.Finished(Completed, "docx", 2, "")
	if after := testutil.CollectAndCount(m.Tasks); after != before {
		t.Fatalf("invented formats added series: %d before, %d after", before, after)
	}
	if got := testutil.ToFloat64(m.Tasks.WithLabelValues(Failed, UnknownFormat)); got != 5 {
		t.Fatalf("failed/unknown = %v, want 5", got)
	}
	if got := testutil.ToFloat64(m.Tasks.WithLabelValues(Completed, "word")); got != 1 {
		t.Fatalf("docx is not counted as word: %v", got)
	}
	if got := testutil.ToFloat64(m.Errors.WithLabelValues("generation")); got != 5 {
		t.Fatalf("an unknown error kind is not counted as generation: %v", got)
	}
}

func TestHTTPMethodsStayInAFixedSet(t *testing.T) {
	m := New(prometheus.NewRegistry())
	m.HTTPRequest("BREW", "/api/v1/health", 418, 0.1)
	if got := testutil.ToFloat64(m.HTTPRequests.WithLabelValues("OTHER", "/api/v1/health", "418")); got != 1 {
		t.Fatalf("odd method counted as %v", got)
	}
	var nilMetrics *Metrics
	nilMetrics.Finished(Completed, "pdf", 1, "")
	nilMetrics.HTTPRequest("GET", "/", 200, 0)
}
