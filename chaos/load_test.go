//go:build chaos

package chaos

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lessonexport/exports"
)

// TestLoad200ExportsWithCapFour requests 200 exports at once from a worker
// capped at 4: every one completes exactly once, the active gauge never
// passes the cap, and the queued gauge rises and drains. Each request
// carries its own Idempotency-Key and is retried after a 503 or 429, so that
// a start that timed out on a loaded Temporal server is not duplicated.
func TestLoad200ExportsWithCapFour(t *testing.T) {
	const total, limit = 200, 4
	c := newCluster(t, map[string]string{"LESSONEXPORT_MAX_CONCURRENT_EXPORTS": "4"}).start()
	lesson := c.lesson("loader", bigLesson("Load 负载", 200))
	formats := []string{"word", "pdf", "pptx", "markdown"}

	var mu sync.Mutex
	var maxActive, maxQueued float64
	var samples int
	sampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		for range 10000 {
			if m, err := c.metrics(); err == nil {
				mu.Lock()
				maxActive = max(maxActive, m["export_tasks_active"])
				maxQueued = max(maxQueued, m["export_tasks_queued"])
				samples++
				mu.Unlock()
			}
			select {
			case <-sampling:
				return
			case <-time.After(200 * time.Millisecond):
			}
		}
	}()

	start := time.Now()
	ids := make([]string, total)
	var retries atomic.Int64
	var wg sync.WaitGroup
	for i := range total {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body, _ := json.Marshal(map[string]string{"lesson_id": lesson, "format": formats[i%4]})
			// A careful client: its own Idempotency-Key, and a retry
			// after Retry-After when the service is busy or unavailable.
			key := fmt.Sprintf("load-%d", i)
			var r response
			var err error
			for attempt := range 5 {
				r, err = c.try("loader", "POST", "/api/v1/exports", "application/json", body,
					"Idempotency-Key", key)
				if err != nil || (r.status != http.StatusServiceUnavailable &&
					r.status != http.StatusTooManyRequests) || attempt == 4 {
					break
				}
				retries.Add(1)
				wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
				time.Sleep(time.Duration(min(max(wait, 1), 5)) * time.Second)
			}
			if err != nil || r.status != http.StatusAccepted {
				t.Errorf("export %d = %d %v: %s", i, r.status, err, r.body)
				return
			}
			var e exports.Export
			if err := json.Unmarshal(r.body, &e); err != nil {
				t.Error(err)
			}
			ids[i] = e.ID
		}()
	}
	wg.Wait()
	requested := time.Since(start)
	// How many the API reports as waiting for a slot, beside the gauge.
	waiting := 0
	if r, err := c.try("loader", "GET", "/api/v1/exports?page_size=100", "", nil); err == nil {
		var page exports.Page
		_ = json.Unmarshal(r.body, &page)
		for _, e := range page.Exports {
			if e.Status == exports.StatusQueued {
				waiting++
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	ended := c.waitAll("loader", ids, 8*time.Minute)
	elapsed := time.Since(start)
	c.waitUntil(20*time.Second, "the queued gauge to drain", func() bool {
		m, err := c.metrics()
		return err == nil && m["export_tasks_queued"] == 0 && m["export_tasks_active"] == 0
	})
	close(sampling)
	<-sampled

	unique := map[string]bool{}
	for _, id := range ids {
		unique[id] = true
		if e := ended[id]; e.Status != exports.StatusCompleted {
			t.Errorf("export %s ended %s %+v", id, e.Status, e.Error)
		}
	}
	if len(unique) != total {
		t.Errorf("%d distinct export IDs for %d requests", len(unique), total)
	}
	m, err := c.metrics()
	if err != nil {
		t.Fatal(err)
	}
	var counted float64
	for _, f := range formats {
		counted += m[`export_tasks_total{format="`+f+`",status="completed"}`]
	}
	if counted != total {
		t.Errorf("the worker counted %v completed exports, want %d", counted, total)
	}
	mu.Lock()
	t.Logf("200 exports: requested in %s, all completed in %s (%.1f exports/s); "+
		"%d samples, max active %v, max queued %v; %d of the newest 100 queued just after "+
		"the requests; %d requests retried after 503/429", requested.Round(time.Millisecond),
		elapsed.Round(time.Millisecond), total/elapsed.Seconds(), samples, maxActive, maxQueued,
		waiting, retries.Load())
	if maxActive > limit {
		t.Errorf("export_tasks_active reached %v, above the cap of %d", maxActive, limit)
	}
	if maxActive < 1 || maxQueued < 1 {
		t.Errorf("the gauges never rose: max active %v, max queued %v", maxActive, maxQueued)
	}
	mu.Unlock()

	// The listing shows every export once.
	listed := map[string]int{}
	c.waitUntil(30*time.Second, "the listing to show every export", func() bool {
		clear(listed)
		token := ""
		for range 10 {
			r, err := c.try("loader", "GET", "/api/v1/exports?page_size=100&page_token="+
				url.QueryEscape(token), "", nil)
			if err != nil || r.status != http.StatusOK {
				return false
			}
			var page exports.Page
			if json.Unmarshal(r.body, &page) != nil {
				return false
			}
			for _, e := range page.Exports {
				listed[e.ID]++
			}
			if token = page.NextPageToken; token == "" {
				break
			}
		}
		return len(listed) == total
	})
	for id, n := range listed {
		if n != 1 || !unique[id] {
			t.Errorf("listing: export %s appears %d times (requested: %v)", id, n, unique[id])
		}
	}
}

// TestIdempotencyKeyStartsOneExport sends the same request with the same
// Idempotency-Key twenty times at once and again later: one export starts;
// the key with another format is a conflict; another user's same key is
// another export.
func TestIdempotencyKeyStartsOneExport(t *testing.T) {
	c := newCluster(t, nil).start()
	lesson := c.lesson("alice", bigLesson("Idempotent 幂等", 5))
	body, _ := json.Marshal(map[string]string{"lesson_id": lesson, "format": "pdf"})
	const key = "order-7f3a-2026"
	ids := make([]string, 20)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.try("alice", "POST", "/api/v1/exports", "application/json", body,
				"Idempotency-Key", key)
			if err != nil || r.status != http.StatusAccepted {
				t.Errorf("request %d = %d %v: %s", i, r.status, err, r.body)
				return
			}
			var e exports.Export
			_ = json.Unmarshal(r.body, &e)
			ids[i] = e.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("one key gave different exports: %v", ids)
		}
	}
	first := c.waitAll("alice", ids[:1], time.Minute)[ids[0]]
	if first.Status != exports.StatusCompleted {
		t.Fatalf("export ended %+v", first)
	}
	if again := c.export("alice", lesson, "pdf", "Idempotency-Key", key); again.ID != first.ID ||
		again.Status != exports.StatusCompleted {
		t.Errorf("the key after completion gave %+v", again)
	}
	other, _ := json.Marshal(map[string]string{"lesson_id": lesson, "format": "word"})
	if r := c.do("alice", "POST", "/api/v1/exports", "application/json", other,
		"Idempotency-Key", key); r.status != http.StatusConflict {
		t.Errorf("the key with another format = %d %s", r.status, r.body)
	}
	bobLesson := c.lesson("bob", bigLesson("Bob's", 2))
	bob := c.export("bob", bobLesson, "pdf", "Idempotency-Key", key)
	if bob.ID == first.ID {
		t.Error("another user's same key gave alice's export")
	}
	c.waitAll("bob", []string{bob.ID}, time.Minute)
	c.waitUntil(20*time.Second, "the listing", func() bool {
		r, err := c.try("alice", "GET", "/api/v1/exports", "", nil)
		if err != nil || r.status != http.StatusOK {
			return false
		}
		var page exports.Page
		return json.Unmarshal(r.body, &page) == nil && len(page.Exports) == 1 &&
			page.Exports[0].ID == first.ID
	})
	m, err := c.metrics()
	if err != nil {
		t.Fatal(err)
	}
	c.waitUntil(5*time.Second, "both completions to be counted", func() bool {
		m, err = c.metrics()
		return err == nil && m[`export_tasks_total{format="pdf",status="completed"}`] >= 2
	})
	if got := m[`export_tasks_total{format="pdf",status="completed"}`]; got != 2 {
		t.Errorf("completed pdf exports = %v, want 2 (alice's one and bob's)", got)
	}
}
