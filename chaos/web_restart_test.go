//go:build chaos

package chaos

import (
	"errors"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"lessonexport/exports"
)

// TestWebRestartLosesNoExport crashes the web server (SIGKILL) and stops it
// gracefully (SIGTERM) while exports run and wait: after each restart every
// export is still there, finishes, and can be read and downloaded.
func TestWebRestartLosesNoExport(t *testing.T) {
	c := newCluster(t, map[string]string{
		"LESSONEXPORT_MAX_CONCURRENT_EXPORTS": "1",
		"LESSONEXPORT_MAX_BODY_BYTES":         "33554432",
	}).start()
	lesson := c.lesson("alice", bigLesson("Web restart 重启", 1000))
	var ids []string
	for i := range 10 {
		ids = append(ids, c.export("alice", lesson, []string{"pdf", "pptx"}[i%2]).ID)
	}
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
		c.web.stop(sig, 10*time.Second)
		took := c.startWeb()
		t.Logf("web server back %s after %v", took.Round(time.Millisecond), sig)
		unfinished := 0
		for _, id := range ids {
			e, ok := c.get("alice", id)
			if !ok {
				t.Fatalf("export %s cannot be read after the restart", id)
			}
			if !finished(e) {
				unfinished++
			}
		}
		t.Logf("after %v: %d of %d exports still queued or running", sig, unfinished, len(ids))
	}
	ended := c.waitAll("alice", ids, 3*time.Minute)
	for _, id := range ids {
		e := ended[id]
		if e.Status != exports.StatusCompleted {
			t.Errorf("export %s ended %+v", id, e)
			continue
		}
		if err := c.checkDownload("alice", e); err != nil {
			t.Error(err)
		}
	}
	// The listing after the restarts shows each export once.
	r := c.do("alice", "GET", "/api/v1/exports?page_size=100", "", nil)
	var page exports.Page
	mustJSON(t, r.body, &page)
	count := map[string]int{}
	for _, e := range page.Exports {
		count[e.ID]++
	}
	for _, id := range ids {
		if count[id] != 1 {
			t.Errorf("export %s is listed %d times", id, count[id])
		}
	}
	if len(page.Exports) != len(ids) {
		t.Errorf("the listing has %d exports, want %d", len(page.Exports), len(ids))
	}
}

// TestServiceRefusesToStartWithoutSecret starts the web server and the
// worker in production mode without a JWT secret and with a short one:
// each exits with a message naming LESSONEXPORT_JWT_SECRET. In
// development mode the web server makes up a secret and starts.
func TestServiceRefusesToStartWithoutSecret(t *testing.T) {
	for _, tc := range []struct{ name, secret string }{
		{"missing", ""},
		{"short", "only-31-bytes-long-secret-12345"},
	} {
		for _, cmd := range []string{"web", "worker"} {
			c := newCluster(t, map[string]string{"LESSONEXPORT_JWT_SECRET": tc.secret})
			p := exec.Command(daemon, cmd)
			p.Env = c.environ()
			done := make(chan struct{})
			var out []byte
			var err error
			go func() { out, err = p.CombinedOutput(); close(done) }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				_ = p.Process.Kill()
				<-done
				t.Fatalf("%s with a %s secret did not exit", cmd, tc.name)
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() == 0 ||
				!strings.Contains(string(out), "LESSONEXPORT_JWT_SECRET") {
				t.Errorf("%s with a %s secret: %v: %s", cmd, tc.name, err, out)
			}
		}
	}
	c := newCluster(t, map[string]string{"LESSONEXPORT_ENV": "development",
		"LESSONEXPORT_JWT_SECRET": ""})
	c.startWeb()
	// The made-up secret is not the tests' secret: their tokens are refused.
	if r := c.do("alice", "GET", "/api/v1/lessons", "", nil); r.status != http.StatusUnauthorized {
		t.Errorf("a token signed with another secret = %d", r.status)
	}
}
