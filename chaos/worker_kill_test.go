//go:build chaos

package chaos

import (
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"lessonexport/exports"
)

// downloadWatcher downloads completed exports over and over while faults
// happen, and records every download that is not a whole document.
type downloadWatcher struct {
	c       *cluster
	user    string
	stop    chan struct{}
	done    chan struct{}
	checked atomic.Int64
	mu      sync.Mutex
	bad     []string
	seen    map[string]bool
}

func watchDownloads(c *cluster, user string) *downloadWatcher {
	w := &downloadWatcher{c: c, user: user, stop: make(chan struct{}),
		done: make(chan struct{}), seen: map[string]bool{}}
	go w.run()
	return w
}

func (w *downloadWatcher) run() {
	defer close(w.done)
	for i := 0; i < 100000; i++ {
		select {
		case <-w.stop:
			return
		case <-time.After(100 * time.Millisecond):
		}
		r, err := w.c.try(w.user, "GET", "/api/v1/exports?page_size=100", "", nil)
		if err != nil || r.status != 200 {
			continue
		}
		var page exports.Page
		if json.Unmarshal(r.body, &page) != nil {
			continue
		}
		for _, e := range page.Exports {
			if e.Status != exports.StatusCompleted {
				continue
			}
			if err := w.c.checkDownload(w.user, *e); err != nil {
				// The web server may be down for a moment; only a
				// download that was served counts.
				if strings.Contains(err.Error(), "connection refused") {
					continue
				}
				w.mu.Lock()
				w.bad = append(w.bad, err.Error())
				w.mu.Unlock()
				continue
			}
			w.checked.Add(1)
			w.mu.Lock()
			w.seen[e.ID] = true
			w.mu.Unlock()
		}
	}
}

// finish stops the watcher and fails the test for every bad download.
func (w *downloadWatcher) finish(t *testing.T) (downloads int64, exportsSeen int) {
	t.Helper()
	close(w.stop)
	<-w.done
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, b := range w.bad {
		t.Errorf("a download was not a whole document: %s", b)
	}
	return w.checked.Load(), len(w.seen)
}

// TestWorkerKilledMidExportLosesNoExport kills the worker with SIGKILL twice
// while exports generate, restarts it, and checks that every export
// completes and that no download is ever a partial file.
func TestWorkerKilledMidExportLosesNoExport(t *testing.T) {
	c := newCluster(t, map[string]string{
		"LESSONEXPORT_MAX_CONCURRENT_EXPORTS": "2",
		"LESSONEXPORT_MAX_BODY_BYTES":         "33554432",
	}).start()
	lesson := c.lesson("alice", bigLesson("Worker kill 停机测试", 1500))
	formats := []string{"pdf", "pptx", "word", "markdown"}
	var ids []string
	for i := range 16 {
		ids = append(ids, c.export("alice", lesson, formats[i%len(formats)]).ID)
	}
	watcher := watchDownloads(c, "alice")

	var recovery []time.Duration
	for round := 1; round <= 2; round++ {
		c.waitUntil(60*time.Second, "an export to be generating", func() bool {
			m, err := c.metrics()
			return err == nil && m["export_tasks_active"] >= 1
		})
		time.Sleep(150 * time.Millisecond)
		c.worker.stop(syscall.SIGKILL, 5*time.Second)
		done := 0
		for _, id := range ids {
			if e, ok := c.get("alice", id); ok && e.Status == exports.StatusCompleted {
				done++
			}
		}
		t.Logf("round %d: worker killed with %d of %d exports completed", round, done, len(ids))
		time.Sleep(2 * time.Second)
		restarted := time.Now()
		c.startWorker()
		// The next export to complete after the restart.
		c.waitUntil(2*time.Minute, "an export to complete after the restart", func() bool {
			n := 0
			for _, id := range ids {
				if e, ok := c.get("alice", id); ok && e.Status == exports.StatusCompleted {
					n++
				}
			}
			return n > done || n == len(ids)
		})
		recovery = append(recovery, time.Since(restarted))
	}
	start := time.Now()
	ended := c.waitAll("alice", ids, 4*time.Minute)
	t.Logf("all exports finished %s after the last restart; first completion after each restart: %v",
		time.Since(start).Round(time.Millisecond), recovery)
	time.Sleep(500 * time.Millisecond) // let the watcher see the last ones
	downloads, seen := watcher.finish(t)
	t.Logf("%d whole downloads of %d exports checked while the worker was killed", downloads, seen)

	for _, id := range ids {
		e := ended[id]
		if e.Status != exports.StatusCompleted {
			t.Errorf("export %s (%s) ended %s: %+v", id, e.Format, e.Status, e.Error)
			continue
		}
		if err := c.checkDownload("alice", e); err != nil {
			t.Error(err)
		}
	}
	var staged, temps int
	for _, f := range c.storedFiles() {
		switch {
		case strings.Contains(f, ".tmp-"):
			temps++
		case strings.HasPrefix(f, "staging/"):
			staged++
			t.Errorf("a staged file remains after every export completed: %s", f)
		}
	}
	t.Logf("temporary files left by the killed worker: %d", temps)
	if n := len(c.worker.out.events("export_task_completed", "")); n == 0 {
		t.Error("the restarted worker logged no export_task_completed")
	}
}
