package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseGivesDefaultsInDevelopment(t *testing.T) {
	c, err := Parse(env(map[string]string{"LESSONEXPORT_ENV": "development"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.TemporalAddress != "127.0.0.1:7233" ||
		c.MaxConcurrentExports != 4 || c.DataDir != "data" {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestParseNamesEveryBadVariable(t *testing.T) {
	_, err := Parse(env(map[string]string{
		"LESSONEXPORT_ADDR":                   "nonsense",
		"LESSONEXPORT_MAX_CONCURRENT_EXPORTS": "zero",
		"LESSONEXPORT_MAX_FILE_BYTES":         "-5",
		"LESSONEXPORT_ENV":                    "staging",
		"LESSONEXPORT_SHUTDOWN_TIMEOUT":       "soon",
	}))
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, name := range []string{"LESSONEXPORT_ADDR", "LESSONEXPORT_MAX_CONCURRENT_EXPORTS",
		"LESSONEXPORT_MAX_FILE_BYTES", "LESSONEXPORT_ENV", "LESSONEXPORT_SHUTDOWN_TIMEOUT"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error does not name %s: %v", name, err)
		}
	}
}

func TestParseRequiresALongSecretInProduction(t *testing.T) {
	for _, secret := range []string{"", "short"} {
		_, err := Parse(env(map[string]string{"LESSONEXPORT_JWT_SECRET": secret}))
		if err == nil || !strings.Contains(err.Error(), "LESSONEXPORT_JWT_SECRET") {
			t.Errorf("secret %q: err = %v", secret, err)
		}
	}
	if _, err := Parse(env(map[string]string{
		"LESSONEXPORT_JWT_SECRET": strings.Repeat("k", MinSecretLength),
	})); err != nil {
		t.Fatal(err)
	}
}

func TestEnsureSecretKeepsTheDevelopmentSecret(t *testing.T) {
	dir := t.TempDir()
	c, err := Parse(env(map[string]string{"LESSONEXPORT_ENV": "development", "LESSONEXPORT_DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.EnsureSecret(); err != nil {
		t.Fatal(err)
	}
	first := c.JWTSecret
	c2, _ := Parse(env(map[string]string{"LESSONEXPORT_ENV": "development", "LESSONEXPORT_DATA_DIR": dir}))
	if err := c2.EnsureSecret(); err != nil {
		t.Fatal(err)
	}
	if len(first) < MinSecretLength || c2.JWTSecret != first {
		t.Fatalf("secrets %q and %q", first, c2.JWTSecret)
	}
}
