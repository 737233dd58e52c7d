//go:build chaos

package chaos

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lessonexport/exports"
)

// TestDiskFullFailsAsStorage puts the data folder's files directory on a
// 2 MiB tmpfs and exports documents larger than that: each export fails
// with error type storage, the worker logs the alert, no partial file
// remains and nothing claims success; a small export still succeeds.
func TestDiskFullFailsAsStorage(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("notice: the full-disk test mounts a tmpfs and needs root; skipped")
	}
	c := newCluster(t, map[string]string{
		"LESSONEXPORT_MAX_BODY_BYTES": "33554432",
		"LESSONEXPORT_MAX_FILE_BYTES": "104857600",
	})
	files := filepath.Join(c.dataDir, "files")
	if err := os.MkdirAll(files, 0o750); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", files).
		CombinedOutput(); err != nil {
		t.Skipf("notice: cannot mount a tmpfs (%v: %s); the full-disk test is skipped",
			err, strings.TrimSpace(string(out)))
	}
	// Registered before the processes start, so it runs after they stop.
	t.Cleanup(func() {
		if out, err := exec.Command("umount", files).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", files, err, out)
		}
	})
	c.start()

	// About 3 MB of Markdown and 4.5 MB of PowerPoint.
	big := c.lesson("alice", bigLesson("Disk full 磁盘已满", 1500))
	var ids []string
	for _, f := range []string{"markdown", "pptx"} {
		ids = append(ids, c.export("alice", big, f).ID)
	}
	start := time.Now()
	ended := c.waitAll("alice", ids, 2*time.Minute)
	t.Logf("the exports failed %s after they were requested", time.Since(start).Round(time.Millisecond))
	for _, id := range ids {
		e := ended[id]
		if e.Status != exports.StatusFailed || e.Error == nil || e.Error.Type != "storage" {
			t.Errorf("export %s (%s) on a full disk ended %s %+v", id, e.Format, e.Status, e.Error)
		}
		if e.DownloadURL != "" || e.FileSize != 0 || e.SHA256 != "" {
			t.Errorf("a failed export claims a file: %+v", e)
		}
		if r := c.do("alice", "GET", "/api/v1/exports/"+id+"/download", "", nil); r.status !=
			http.StatusConflict {
			t.Errorf("download of the failed export %s = %d", id, r.status)
		}
		c.waitUntil(10*time.Second, "the failure's log line", func() bool {
			return len(c.worker.out.events("export_task_failed", id)) > 0
		})
		l := c.worker.out.events("export_task_failed", id)[0]
		if l["level"] != "ERROR" || l["error_type"] != "storage" || l["error_message"] == "" {
			t.Errorf("failure log line = %v", l)
		}
		if n := len(c.worker.out.events("export_task_completed", id)); n != 0 {
			t.Errorf("export %s logged export_task_completed on a full disk", id)
		}
	}
	if left := c.storedFiles(); len(left) > 0 {
		t.Errorf("files remain on the full disk after the exports failed: %v", left)
	}
	m, err := c.metrics()
	if err != nil {
		t.Fatal(err)
	}
	if got := m[`export_errors_total{error_type="storage"}`]; got != 2 {
		t.Errorf(`export_errors_total{error_type="storage"} = %v, want 2`, got)
	}
	if got := m[`export_tasks_total{format="markdown",status="completed"}`]; got != 0 {
		t.Errorf("a markdown export was counted as completed: %v", got)
	}

	// The failed exports gave their space back: a small one fits.
	small := c.lesson("alice", bigLesson("Small 小课", 3))
	e := c.export("alice", small, "markdown")
	if got := c.waitAll("alice", []string{e.ID}, time.Minute)[e.ID]; got.Status !=
		exports.StatusCompleted {
		t.Fatalf("a small export after the full disk ended %+v", got)
	} else if err := c.checkDownload("alice", got); err != nil {
		t.Fatal(err)
	}
}
