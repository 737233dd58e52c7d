package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// result is one finished run of a command.
type result struct {
	wall   time.Duration
	maxRSS int64 // KiB
}

// errNotInstalled reports a tool missing from PATH.
var errNotInstalled = errors.New("not installed")

// lookTool returns the path of a tool on PATH, or errNotInstalled.
func lookTool(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, errNotInstalled)
	}
	return p, nil
}

// runOnce runs a command to completion within timeout and measures its wall
// time and peak resident memory. Its output is kept only for the error.
func runOnce(timeout time.Duration, env []string, name string, args ...string) (result, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// A process group of its own, so that a timeout stops its children too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	start := time.Now()
	err := cmd.Run()
	r := result{wall: time.Since(start)}
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			r.maxRSS = ru.Maxrss // KiB on Linux
		}
	}
	if ctx.Err() != nil {
		return r, fmt.Errorf("%s: timed out after %s", commandLine(name, args), timeout)
	}
	if err != nil {
		return r, fmt.Errorf("%s: %w: %s", commandLine(name, args), err, tail(out.String()))
	}
	return r, nil
}

// runMany runs a command n times and returns every result.
func runMany(n int, timeout time.Duration, env []string, name string,
	args ...string) ([]result, error) {
	var rs []result
	for range n {
		r, err := runOnce(timeout, env, name, args...)
		if err != nil {
			return rs, err
		}
		rs = append(rs, r)
	}
	return rs, nil
}

func commandLine(name string, args []string) string {
	return strings.Join(append([]string{name}, args...), " ")
}

// tail returns the last few lines of a command's output.
func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, " | ")
}

// stats is the minimum, median and maximum of some durations.
type stats struct {
	min, median, max time.Duration
	n                int
}

func durStats(rs []result) stats {
	ds := make([]time.Duration, len(rs))
	for i, r := range rs {
		ds[i] = r.wall
	}
	return statsOf(ds)
}

func statsOf(ds []time.Duration) stats {
	if len(ds) == 0 {
		return stats{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return stats{min: s[0], median: median(s), max: s[len(s)-1], n: len(s)}
}

// median of sorted durations.
func median(s []time.Duration) time.Duration {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// percentile of sorted durations, by the nearest-rank method.
func percentile(s []time.Duration, p float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(s))+0.999999) - 1
	return s[max(0, min(rank, len(s)-1))]
}

func (s stats) String() string {
	return fmt.Sprintf("%s / %s / %s", ms(s.min), ms(s.median), ms(s.max))
}

// ms formats a duration in milliseconds.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}

// verdict says whether a figure met its target.
func verdict(ok bool) string {
	if ok {
		return "ok"
	}
	return "MISSED"
}
