package deploy

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// needTool returns the path of an external checker, or skips the test with a
// notice naming the Debian package that provides it.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not on PATH; install Debian's %s package to run this check", name, pkg)
	}
	return path
}

// run runs a checker with a time limit and returns its combined output.
func run(t *testing.T, env []string, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	if env != nil {
		cmd.Env = env
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return out.String(), err
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("%s %s did not finish within 2 minutes", name, strings.Join(args, " "))
		return "", nil
	}
}

func globFiles(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files match %s (%v)", pattern, err)
	}
	return files
}

func TestPromtoolCheckRules(t *testing.T) {
	promtool := needTool(t, "promtool", "prometheus")
	args := append([]string{"check", "rules"}, globFiles(t, "prometheus/rules/*.yml")...)
	if out, err := run(t, nil, promtool, args...); err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
}

func TestPromtoolTestRules(t *testing.T) {
	promtool := needTool(t, "promtool", "prometheus")
	args := append([]string{"test", "rules"}, globFiles(t, "prometheus/tests/*.test.yml")...)
	out, err := run(t, nil, promtool, args...)
	if err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
	if !strings.Contains(out, "SUCCESS") {
		t.Fatalf("promtool test rules reported no success:\n%s", out)
	}
}

func TestPromtoolCheckConfig(t *testing.T) {
	promtool := needTool(t, "promtool", "prometheus")
	// The rule_files glob is relative to prometheus.yml, as it is in the
	// container; promtool resolves it the same way and checks those files too.
	out, err := run(t, nil, promtool, "check", "config", "prometheus/prometheus.yml")
	if err != nil {
		t.Fatalf("promtool check config: %v\n%s", err, out)
	}
	if !strings.Contains(out, "rule files found") || strings.Contains(out, "0 rule files found") {
		t.Fatalf("promtool found no rule files through prometheus.yml:\n%s", out)
	}
}

func TestAmtoolCheckConfig(t *testing.T) {
	amtool := needTool(t, "amtool", "prometheus-alertmanager")
	if out, err := run(t, nil, amtool, "check-config", "alertmanager/alertmanager.yml"); err != nil {
		t.Fatalf("amtool check-config: %v\n%s", err, out)
	}
}

func TestComposeConfig(t *testing.T) {
	compose := needTool(t, "docker-compose", "docker-compose")
	base := []string{}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LESSONEXPORT_") && !strings.HasPrefix(kv, "COMPOSE_") {
			base = append(base, kv)
		}
	}
	args := []string{"--project-directory", "..", "-f", "../docker-compose.yml", "config", "-q"}
	t.Run("with secret", func(t *testing.T) {
		env := append(append([]string{}, base...),
			"LESSONEXPORT_JWT_SECRET=0123456789abcdef0123456789abcdef-test-only")
		if out, err := run(t, env, compose, args...); err != nil {
			t.Fatalf("docker-compose config: %v\n%s", err, out)
		}
	})
	t.Run("without secret", func(t *testing.T) {
		// A .env file beside the compose file would supply the secret.
		if _, err := os.Stat("../.env"); err == nil {
			t.Skip("a .env file beside docker-compose.yml may set the secret")
		}
		out, err := run(t, base, compose, args...)
		if err == nil {
			t.Fatalf("docker-compose config accepted a missing LESSONEXPORT_JWT_SECRET:\n%s", out)
		}
		if !strings.Contains(out, "LESSONEXPORT_JWT_SECRET") {
			t.Fatalf("the error does not name LESSONEXPORT_JWT_SECRET:\n%s", out)
		}
	})
}
