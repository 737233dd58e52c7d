// Package devtemporal finds the Temporal CLI that make build puts in bin/
// and starts Temporal development servers from it, for the tests that run
// against a real Temporal server.
package devtemporal

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/testsuite"

	"lessonexport/exports"
)

// Namespace is the namespace the development servers start with.
const Namespace = "default"

// CLI returns the absolute path of the Temporal CLI:
// LESSONEXPORT_TEMPORAL_CLI, or bin/temporal under root (the module root,
// relative to the calling test's folder). It fails, naming both, when
// neither exists.
func CLI(root string) (string, error) {
	p := os.Getenv("LESSONEXPORT_TEMPORAL_CLI")
	if p == "" {
		p = filepath.Join(root, "bin", "temporal")
	}
	abs, err := filepath.Abs(p)
	if err == nil {
		_, err = os.Stat(abs)
	}
	if err != nil {
		return "", fmt.Errorf("no Temporal CLI at %s (run make build, or set "+
			"LESSONEXPORT_TEMPORAL_CLI): %w", p, err)
	}
	return abs, nil
}

// Start starts a development server from cli on a free loopback port, with
// task queue statistics kept fresh (export_tasks_queued reads them) and the
// search attributes exports are listed by registered. opts carries the
// client's logger and metrics handler; its HostPort and Namespace are set
// here. Stop the server when done.
func Start(ctx context.Context, cli string, opts client.Options) (*testsuite.DevServer, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	opts.HostPort, opts.Namespace = fmt.Sprintf("127.0.0.1:%d", port), Namespace
	srv, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  cli,
		ClientOptions: &opts,
		LogLevel:      "error",
		ExtraArgs: []string{"--ip", "127.0.0.1",
			"--dynamic-config-value", `matching.TaskQueueInfoByBuildIdTTL="500ms"`},
		Stdout: io.Discard,
		Stderr: io.Discard,
	})
	if err != nil {
		return nil, fmt.Errorf("start Temporal development server: %w", err)
	}
	if err := exports.EnsureSearchAttributes(ctx, srv.Client(), Namespace); err != nil {
		_ = srv.Stop()
		return nil, err
	}
	return srv, nil
}
