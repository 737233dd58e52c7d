package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"

	"lessonexport/auth"
	"lessonexport/config"
)

// runDev starts the Temporal development server (persisting to SQLite under
// the data folder, with its web UI on the frontend port plus 1000), then a
// worker and the web server in this process, and prints where they are and
// a development token. It stops all of them when ctx is done.
func runDev(ctx context.Context) error {
	if os.Getenv("LESSONEXPORT_ENV") == "" {
		os.Setenv("LESSONEXPORT_ENV", "development")
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("create LESSONEXPORT_DATA_DIR: %w", err)
	}
	if err := cfg.EnsureSecret(); err != nil {
		return err
	}
	host, portText, _ := net.SplitHostPort(cfg.TemporalAddress)
	port, _ := strconv.Atoi(portText)
	uiPort := port + 1000

	cli, err := temporalCLI()
	if err != nil {
		return err
	}
	cmd := exec.Command(cli, "server", "start-dev",
		"--ip", host, "--port", portText, "--ui-port", strconv.Itoa(uiPort),
		"--db-filename", cfg.TemporalDB(), "--namespace", cfg.TemporalNamespace,
		"--log-level", "warn",
		// Task queue statistics, which export_tasks_queued reports, are
		// cached for five seconds by default; keep them fresh.
		"--dynamic-config-value", `matching.TaskQueueInfoByBuildIdTTL="1s"`)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	// The server gets its own process group, so that Ctrl-C reaches only
	// this process, which stops the worker before the server; and it dies
	// with this process.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start temporal development server: %w", err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	defer stopProcess(cmd, exited)

	if err := waitForTemporal(ctx, cfg, exited, &waitErr); err != nil {
		return err
	}
	d, err := openDeps(cfg, "dev")
	if err != nil {
		return err
	}
	defer d.close()

	verifier, err := auth.NewHS256([]byte(cfg.JWTSecret))
	if err != nil {
		return err
	}
	token, err := verifier.Mint("dev-user", 30*24*time.Hour, time.Now())
	if err != nil {
		return err
	}
	return d.serve(ctx, true, true, func() {
		fmt.Fprintf(os.Stderr, `
Lesson export service is running.

  API          http://%s/api/v1   (health: /api/v1/health, metrics: /metrics)
  Temporal UI  http://%s:%d
  Temporal     %s (namespace %s)
  Data         %s

Development token for user "dev-user" (valid 30 days):

  export TOKEN=%s

Try:
  curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/markdown" \
       --data-binary @testdata/examples/weather-forecast.md http://%s/api/v1/lessons

Press Ctrl-C to stop.
`, cfg.Addr, host, uiPort, cfg.TemporalAddress, cfg.TemporalNamespace, cfg.DataDir, token, cfg.Addr)
	})
}

// temporalCLI finds the Temporal CLI: LESSONEXPORT_TEMPORAL_CLI, or
// "temporal" beside this executable, or on PATH.
func temporalCLI() (string, error) {
	if p := os.Getenv("LESSONEXPORT_TEMPORAL_CLI"); p != "" {
		return p, nil
	}
	if exe, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(exe), "temporal")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("temporal"); err == nil {
		return p, nil
	}
	return "", errors.New("the Temporal CLI was not found: run make build, " +
		"or set LESSONEXPORT_TEMPORAL_CLI to its path")
}

func waitForTemporal(ctx context.Context, cfg *config.Config, exited <-chan struct{},
	waitErr *error) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := client.Dial(client.Options{HostPort: cfg.TemporalAddress,
			Namespace: cfg.TemporalNamespace, Logger: quietLogger{}})
		if err == nil {
			c.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the Temporal development server did not come up on %s: %w",
				cfg.TemporalAddress, err)
		}
		select {
		case <-exited:
			return fmt.Errorf("the Temporal development server exited: %v "+
				"(is port %s already in use?)", *waitErr, cfg.TemporalAddress)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func stopProcess(cmd *exec.Cmd, exited <-chan struct{}) {
	if cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// quietLogger drops the SDK's log lines while waiting for the server.
type quietLogger struct{}

func (quietLogger) Debug(string, ...any) {}
func (quietLogger) Info(string, ...any)  {}
func (quietLogger) Warn(string, ...any)  {}
func (quietLogger) Error(string, ...any) {}
