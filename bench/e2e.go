package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// e2eBench runs exports through real processes: the Temporal development
// server, the web server and a worker, all on 127.0.0.1.
type e2eBench struct {
	bin      string // folder of lessonexport, lessonexportd and temporal
	dir      string
	lesson   string // lesson file to export
	exports  int    // measured exports per concurrency cap
	clients  int    // exports in flight at once; 0: twice the cap
	caps     []int
	deadline time.Duration // per cap
}

// proc is a started process in its own process group.
type proc struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
}

func startProc(name, logPath string, env []string, bin string, args ...string) (*proc, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, done: make(chan struct{})}
	go func() {
		cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	return p, nil
}

// stop ends the process by its ID: SIGTERM to its group, SIGKILL after 15 s.
func (p *proc) stop() {
	if p == nil {
		return
	}
	pid := p.cmd.Process.Pid
	syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-p.done:
		return
	case <-time.After(15 * time.Second):
	}
	syscall.Kill(-pid, syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// freePort returns a loopback port nobody listens on now, and for which
// port+1000 is free as well (the Temporal UI's).
func freePort() (int, error) {
	for range 50 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, err
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if port+1000 > 65535 {
			continue
		}
		ln2, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+1000))
		if err != nil {
			continue
		}
		ln2.Close()
		return port, nil
	}
	return 0, errors.New("no free port pair on 127.0.0.1")
}

// waitFor polls ok every 100 ms until it returns true, p exits or d passes.
func waitFor(d time.Duration, what string, ok func() bool, ps ...*proc) error {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if ok() {
			return nil
		}
		for _, p := range ps {
			if p.exited() {
				return fmt.Errorf("%s exited while waiting for %s", p.name, what)
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("timed out after %s waiting for %s", d, what)
}

func listening(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// run starts the Temporal server once and measures every cap in turn.
func (b *e2eBench) run() error {
	port, err := freePort()
	if err != nil {
		return err
	}
	tAddr := "127.0.0.1:" + strconv.Itoa(port)
	temporal, err := startProc("temporal", filepath.Join(b.dir, "temporal.log"), nil,
		filepath.Join(b.bin, "temporal"), "server", "start-dev", "--headless",
		"--ip", "127.0.0.1", "--port", strconv.Itoa(port),
		"--ui-port", strconv.Itoa(port+1000), "--db-filename", filepath.Join(b.dir, "t.db"),
		"--log-level", "warn",
		"--dynamic-config-value", `matching.TaskQueueInfoByBuildIdTTL="1s"`)
	if err != nil {
		return err
	}
	defer temporal.stop()
	if err := waitFor(60*time.Second, "the Temporal server",
		func() bool { return listening(tAddr) }, temporal); err != nil {
		return err
	}
	fmt.Printf("Temporal development server on %s; %d exports per cap after a warm-up, "+
		"formats word/pdf/pptx/markdown in turn\n", tAddr, b.exports)
	fmt.Printf("%-4s %9s %6s %6s %10s %10s %10s %12s\n", "cap", "in flight", "done", "failed",
		"p50", "p95", "max", "exports/s")
	var errs []error
	for _, c := range b.caps {
		if err := b.runCap(tAddr, c); err != nil {
			fmt.Printf("%-4d error: %v\n", c, err)
			errs = append(errs, fmt.Errorf("cap %d: %w", c, err))
		}
	}
	return errors.Join(errs...)
}

// runCap measures b.exports exports with a worker capped at c.
func (b *e2eBench) runCap(tAddr string, c int) error {
	data := filepath.Join(b.dir, "cap-"+strconv.Itoa(c))
	if err := os.MkdirAll(data, 0o750); err != nil {
		return err
	}
	ports := make([]int, 3)
	for i := range ports {
		p, err := freePort()
		if err != nil {
			return err
		}
		ports[i] = p
	}
	webAddr := "127.0.0.1:" + strconv.Itoa(ports[0])
	env := []string{
		"LESSONEXPORT_ENV=development",
		"LESSONEXPORT_DATA_DIR=" + data,
		"LESSONEXPORT_ADDR=" + webAddr,
		"LESSONEXPORT_TEMPORAL_ADDRESS=" + tAddr,
		"LESSONEXPORT_MAX_CONCURRENT_EXPORTS=" + strconv.Itoa(c),
	}
	// The token comes first: it makes the development secret that the web
	// server then reads from the same data folder.
	cmd := exec.Command(filepath.Join(b.bin, "lessonexport"), "token", "--user", "bench")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	token := strings.TrimSpace(string(out))

	web, err := startProc("web", filepath.Join(data, "web.log"),
		append(env, "LESSONEXPORT_METRICS_ADDR=127.0.0.1:"+strconv.Itoa(ports[1])),
		filepath.Join(b.bin, "lessonexportd"), "web")
	if err != nil {
		return err
	}
	defer web.stop()
	worker, err := startProc("worker", filepath.Join(data, "worker.log"),
		append(env, "LESSONEXPORT_METRICS_ADDR=127.0.0.1:"+strconv.Itoa(ports[2])),
		filepath.Join(b.bin, "lessonexportd"), "worker")
	if err != nil {
		return err
	}
	defer worker.stop()

	api := &apiClient{base: "http://" + webAddr, token: token,
		http: &http.Client{Timeout: 15 * time.Second,
			Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	healthy := func() bool {
		st, _, err := api.do("GET", "/api/v1/health", "", nil)
		return err == nil && st == http.StatusOK
	}
	if err := waitFor(60*time.Second, "the web server's health", healthy, web, worker); err != nil {
		return err
	}
	lessonData, err := os.ReadFile(b.lesson)
	if err != nil {
		return err
	}
	st, body, err := api.do("POST", "/api/v1/lessons", "application/json", lessonData)
	if err != nil || st != http.StatusCreated {
		return fmt.Errorf("create lesson: %d %v %s", st, err, body)
	}
	var created struct{ ID string }
	if err := json.Unmarshal(body, &created); err != nil {
		return fmt.Errorf("create lesson: %w", err)
	}

	inFlight := b.clients
	if inFlight == 0 {
		inFlight = 2 * c
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.deadline)
	defer cancel()
	// A few exports first, so that the worker's pollers are running.
	if _, _, err := b.batch(ctx, api, created.ID, 2*c, inFlight); err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	start := time.Now()
	lat, failed, err := b.batch(ctx, api, created.ID, b.exports, inFlight)
	elapsed := time.Since(start)
	if err != nil {
		return err
	}
	slices.Sort(lat)
	fmt.Printf("%-4d %9d %6d %6d %10s %10s %10s %12.1f\n", c, inFlight, len(lat), failed,
		ms(percentile(lat, 50)), ms(percentile(lat, 95)), ms(percentile(lat, 100)),
		float64(len(lat))/elapsed.Seconds())
	return nil
}

var benchFormats = []string{"word", "pdf", "pptx", "markdown"}

// batch runs n exports, inFlight at a time, and returns the latency of
// each completed one and the number that failed or were cancelled.
func (b *e2eBench) batch(ctx context.Context, api *apiClient, lessonID string, n, inFlight int) (
	[]time.Duration, int, error) {
	var (
		mu      sync.Mutex
		lat     []time.Duration
		failed  int
		firstEr error
		wg      sync.WaitGroup
	)
	next := make(chan int)
	for range min(inFlight, n) {
		wg.Go(func() {
			for i := range next {
				d, ok, err := api.export(ctx, lessonID, benchFormats[i%len(benchFormats)])
				mu.Lock()
				switch {
				case err != nil:
					if firstEr == nil {
						firstEr = err
					}
				case ok:
					lat = append(lat, d)
				default:
					failed++
				}
				mu.Unlock()
			}
		})
	}
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	if firstEr == nil && ctx.Err() != nil {
		firstEr = fmt.Errorf("did not finish in %s: %w", b.deadline, ctx.Err())
	}
	return lat, failed, firstEr
}

type apiClient struct {
	base, token string
	http        *http.Client
}

func (a *apiClient) do(method, path, ctype string, body []byte) (int, []byte, error) {
	return a.doCtx(context.Background(), method, path, ctype, body)
}

func (a *apiClient) doCtx(ctx context.Context, method, path, ctype string, body []byte) (
	int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+a.token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, data, err
}

// export creates one export and polls it every 25 ms until it finishes. It
// reports the time from the request to completion and whether it completed.
func (a *apiClient) export(ctx context.Context, lessonID, format string) (
	time.Duration, bool, error) {
	body, _ := json.Marshal(map[string]string{"lesson_id": lessonID, "format": format})
	start := time.Now()
	var e struct{ ID, Status string }
	for {
		st, data, err := a.doCtx(ctx, "POST", "/api/v1/exports", "application/json", body)
		if err != nil {
			return 0, false, fmt.Errorf("create export: %w", err)
		}
		if st == http.StatusTooManyRequests {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if st != http.StatusAccepted {
			return 0, false, fmt.Errorf("create export: status %d: %s", st, data)
		}
		if err := json.Unmarshal(data, &e); err != nil {
			return 0, false, fmt.Errorf("create export: %w", err)
		}
		break
	}
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		switch e.Status {
		case "completed":
			return time.Since(start), true, nil
		case "failed", "cancelled":
			return time.Since(start), false, nil
		}
		select {
		case <-ctx.Done():
			return 0, false, ctx.Err()
		case <-tick.C:
		}
		st, data, err := a.doCtx(ctx, "GET", "/api/v1/exports/"+e.ID, "", nil)
		if err != nil {
			if ctx.Err() != nil {
				return 0, false, ctx.Err()
			}
			return 0, false, fmt.Errorf("get export: %w", err)
		}
		if st != http.StatusOK {
			return 0, false, fmt.Errorf("get export %s: status %d: %s", e.ID, st, data)
		}
		if err := json.Unmarshal(data, &e); err != nil {
			return 0, false, fmt.Errorf("get export: %w", err)
		}
	}
}
