//go:build chaos

package chaos

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.temporal.io/sdk/client"

	"lessonexport/auth"
	"lessonexport/exports"
	"lessonexport/internal/devtemporal"
)

// secret signs the tests' tokens; the services run in production mode.
const secret = "a chaos test secret that is at least 32 bytes long"

// daemon is the lessonexportd binary TestMain builds; temporalBin is the
// Temporal CLI.
var daemon, temporalBin string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir, err := os.MkdirTemp("", "chaos-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaos:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	daemon = filepath.Join(dir, "lessonexportd")
	build := exec.Command("go", "build", "-o", daemon, "lessonexport/cmd/lessonexportd")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "chaos: build lessonexportd:", err)
		return 1
	}
	if temporalBin, err = devtemporal.CLI(".."); err != nil {
		fmt.Fprintln(os.Stderr, "chaos: the tests need the Temporal CLI:", err)
		return 1
	}
	return m.Run()
}

// logBuffer keeps a process's output and decodes its JSON log lines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// events returns the JSON log lines whose event is event, and whose task_id
// is taskID when that is set.
func (b *logBuffer) events(event, taskID string) []map[string]any {
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(b.String()))
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		if m["event"] == event && (taskID == "" || m["task_id"] == taskID) {
			out = append(out, m)
		}
	}
	return out
}

// proc is a process a test started; it is stopped by its PID at cleanup.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *logBuffer
	done chan struct{}
	err  error
}

func startProc(t *testing.T, name string, env []string, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, out: &logBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	// The child dies with the test binary should the test be killed.
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.stop(syscall.SIGTERM, 15*time.Second)
		if t.Failed() {
			out := p.out.String()
			if len(out) > 6000 {
				out = "…" + out[len(out)-6000:]
			}
			t.Logf("output of %s (pid %d):\n%s", name, p.cmd.Process.Pid, out)
		}
	})
	return p
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends sig to the process, by its PID, and waits up to limit for it to
// exit, then kills it.
func (p *proc) stop(sig syscall.Signal, limit time.Duration) {
	if p.exited() {
		return
	}
	_ = p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
	case <-time.After(limit):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// cluster is a Temporal development server, a worker and a web server, each
// its own process, sharing a data folder.
type cluster struct {
	t            *testing.T
	dataDir      string
	temporalAddr string
	webAddr      string
	metricsAddr  string
	env          map[string]string
	temporal     *proc
	worker       *proc
	web          *proc
	auth         *auth.HS256
	http         *http.Client
}

func freePort(t *testing.T) int {
	t.Helper()
	for range 20 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		// The development server's UI port is the frontend port plus 1000.
		if port+1000 < 65536 {
			return port
		}
	}
	t.Fatal("no free port")
	return 0
}

// newCluster prepares a cluster; env adds or overrides LESSONEXPORT_*
// settings. Nothing is started.
func newCluster(t *testing.T, env map[string]string) *cluster {
	t.Helper()
	c := &cluster{
		t:            t,
		dataDir:      t.TempDir(),
		temporalAddr: fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		webAddr:      fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		metricsAddr:  fmt.Sprintf("127.0.0.1:%d", freePort(t)),
		http:         &http.Client{Timeout: 60 * time.Second},
	}
	c.env = map[string]string{
		"LESSONEXPORT_ENV":                    "production",
		"LESSONEXPORT_JWT_SECRET":             secret,
		"LESSONEXPORT_DATA_DIR":               c.dataDir,
		"LESSONEXPORT_ADDR":                   c.webAddr,
		"LESSONEXPORT_METRICS_ADDR":           c.metricsAddr,
		"LESSONEXPORT_TEMPORAL_ADDRESS":       c.temporalAddr,
		"LESSONEXPORT_SHUTDOWN_TIMEOUT":       "5s",
		"LESSONEXPORT_MAX_CONCURRENT_EXPORTS": "4",
	}
	for k, v := range env {
		c.env[k] = v
	}
	var err error
	if c.auth, err = auth.NewHS256([]byte(secret)); err != nil {
		t.Fatal(err)
	}
	return c
}

// start starts Temporal, the worker and the web server, and waits for each.
func (c *cluster) start() *cluster {
	c.startTemporal()
	c.startWorker()
	c.startWeb()
	return c
}

func (c *cluster) environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LESSONEXPORT_") {
			env = append(env, kv)
		}
	}
	for k, v := range c.env {
		env = append(env, k+"="+v)
	}
	return env
}

// startTemporal starts the development server on the cluster's port,
// persisting to the data folder, so that a restart keeps every export.
func (c *cluster) startTemporal() {
	c.t.Helper()
	host, port, _ := net.SplitHostPort(c.temporalAddr)
	n, _ := strconv.Atoi(port)
	c.temporal = startProc(c.t, "temporal", os.Environ(), temporalBin, "server", "start-dev",
		"--ip", host, "--port", port, "--ui-port", strconv.Itoa(n+1000), "--headless",
		"--db-filename", filepath.Join(c.dataDir, "temporal.db"), "--log-level", "error",
		"--dynamic-config-value", `matching.TaskQueueInfoByBuildIdTTL="1s"`)
	deadline := time.Now().Add(60 * time.Second)
	for {
		tc, err := client.Dial(client.Options{HostPort: c.temporalAddr, Logger: quiet{}})
		if err == nil {
			_, err = tc.CheckHealth(context.Background(), &client.CheckHealthRequest{})
			tc.Close()
			if err == nil {
				return
			}
		}
		if c.temporal.exited() || time.Now().After(deadline) {
			c.t.Fatalf("the Temporal development server did not come up on %s: %v",
				c.temporalAddr, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// startWorker starts a worker and waits until it serves its metrics.
func (c *cluster) startWorker() {
	c.t.Helper()
	c.worker = startProc(c.t, "worker", c.environ(), daemon, "worker")
	c.waitUntil(30*time.Second, "the worker to serve its metrics", func() bool {
		if c.worker.exited() {
			c.t.Fatalf("the worker exited: %v", c.worker.err)
		}
		_, err := c.metrics()
		return err == nil
	})
}

// startWeb starts the web server and waits until its health check answers
// (200 or 503) and returns how long that took.
func (c *cluster) startWeb() time.Duration {
	c.t.Helper()
	start := time.Now()
	c.web = startProc(c.t, "web", c.environ(), daemon, "web")
	c.waitUntil(30*time.Second, "the web server to answer", func() bool {
		if c.web.exited() {
			c.t.Fatalf("the web server exited: %v", c.web.err)
		}
		r, err := c.try("", "GET", "/api/v1/health", "", nil)
		return err == nil && (r.status == http.StatusOK || r.status == http.StatusServiceUnavailable)
	})
	return time.Since(start)
}

// waitUntil polls cond every 100 ms for up to limit.
func (c *cluster) waitUntil(limit time.Duration, what string, cond func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			c.t.Fatalf("gave up after %s waiting for %s", limit, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (c *cluster) token(user string) string {
	tok, err := c.auth.Mint(user, time.Hour, time.Now())
	if err != nil {
		c.t.Fatal(err)
	}
	return tok
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// try sends one request to the web server; header holds name, value pairs.
func (c *cluster) try(user, method, path, contentType string, body []byte,
	header ...string) (response, error) {
	req, err := http.NewRequest(method, "http://"+c.webAddr+path, bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+c.token(user))
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

func (c *cluster) do(user, method, path, contentType string, body []byte,
	header ...string) response {
	c.t.Helper()
	r, err := c.try(user, method, path, contentType, body, header...)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	if r.status >= 500 && r.status != http.StatusServiceUnavailable {
		c.t.Errorf("%s %s = %d: %s", method, path, r.status, r.body)
	}
	return r
}

// lesson creates a lesson from a JSON body and returns its ID.
func (c *cluster) lesson(user string, plan []byte) string {
	c.t.Helper()
	r := c.do(user, "POST", "/api/v1/lessons", "application/json", plan)
	if r.status != http.StatusCreated {
		c.t.Fatalf("create lesson = %d: %.300s", r.status, r.body)
	}
	var l struct {
		ID string `json:"id"`
	}
	mustJSON(c.t, r.body, &l)
	return l.ID
}

// export starts an export and returns it.
func (c *cluster) export(user, lessonID, format string, header ...string) exports.Export {
	c.t.Helper()
	body, _ := json.Marshal(map[string]string{"lesson_id": lessonID, "format": format})
	r := c.do(user, "POST", "/api/v1/exports", "application/json", body, header...)
	if r.status != http.StatusAccepted {
		c.t.Fatalf("create export = %d: %s", r.status, r.body)
	}
	var e exports.Export
	mustJSON(c.t, r.body, &e)
	return e
}

// get reads an export; ok is false when the web server did not answer 200.
func (c *cluster) get(user, id string) (exports.Export, bool) {
	var e exports.Export
	r, err := c.try(user, "GET", "/api/v1/exports/"+id, "", nil)
	if err != nil || r.status != http.StatusOK {
		return e, false
	}
	return e, json.Unmarshal(r.body, &e) == nil
}

// waitAll waits until every export has finished and returns them by ID.
func (c *cluster) waitAll(user string, ids []string, limit time.Duration) map[string]exports.Export {
	c.t.Helper()
	out := map[string]exports.Export{}
	deadline := time.Now().Add(limit)
	for len(out) < len(ids) {
		for _, id := range ids {
			if _, ok := out[id]; ok {
				continue
			}
			if e, ok := c.get(user, id); ok && finished(e) {
				out[id] = e
			}
		}
		if len(out) == len(ids) {
			break
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("after %s, %d of %d exports have finished", limit, len(out), len(ids))
		}
		time.Sleep(200 * time.Millisecond)
	}
	return out
}

func finished(e exports.Export) bool {
	return e.Status != exports.StatusQueued && e.Status != exports.StatusProcessing
}

// metrics reads the worker's /metrics as sample name (with labels) to value.
func (c *cluster) metrics() (map[string]float64, error) {
	resp, err := c.http.Get("http://" + c.metricsAddr + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("metrics: status %d", resp.StatusCode)
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			continue
		}
		out[line[:i]] = v
	}
	return out, sc.Err()
}

func mustJSON(t *testing.T, data []byte, into any) {
	t.Helper()
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatalf("decode %.300s: %v", data, err)
	}
}

// quiet drops the Temporal SDK's log lines.
type quiet struct{}

func (quiet) Debug(string, ...any) {}
func (quiet) Info(string, ...any)  {}
func (quiet) Warn(string, ...any)  {}
func (quiet) Error(string, ...any) {}
