package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// MinSecretLength is the shortest JWT secret accepted outside development
// mode, in bytes.
const MinSecretLength = 32

// Config is the whole configuration of the web server and the worker.
type Config struct {
	// Env is "production" (the default) or "development". Development mode
	// makes up and keeps a JWT secret under DataDir when none is set.
	Env string
	// Addr is the web server's listen address.
	Addr string
	// DataDir holds the lesson database, exported files and, in the
	// embedded default, the Temporal development server's database.
	DataDir string
	// JWTSecret signs and checks bearer tokens (HS256).
	JWTSecret string
	// TemporalAddress is the Temporal frontend's host:port.
	TemporalAddress string
	// TemporalNamespace is the Temporal namespace exports run in.
	TemporalNamespace string
	// MaxConcurrentExports caps the export activities one worker runs at
	// once: the service's concurrency control.
	MaxConcurrentExports int
	// MaxFileBytes is the largest document storage accepts.
	MaxFileBytes int64
	// MaxBodyBytes is the largest request body the web server reads.
	MaxBodyBytes int64
	// MetricsAddr is where a stand-alone worker serves /metrics; empty
	// serves none.
	MetricsAddr string
	// ShutdownTimeout bounds a graceful stop.
	ShutdownTimeout time.Duration
	// QueueTimeout is how long an export step may wait for a worker slot
	// before the export fails as a timeout.
	QueueTimeout time.Duration
	// SlowExportThreshold is how long an export may run before it is
	// logged as slow.
	SlowExportThreshold time.Duration
	// Retention is how long stored documents are kept.
	Retention time.Duration
	// MaxQueuedExports is how many exports may wait for a worker slot
	// before new ones are refused with 429; zero means no limit.
	MaxQueuedExports int64
}

// Development reports whether the service runs in development mode.
func (c *Config) Development() bool { return c.Env == "development" }

// FilesDir is the folder exported documents are stored under.
func (c *Config) FilesDir() string { return filepath.Join(c.DataDir, "files") }

// LessonDB is the path of the SQLite lesson database.
func (c *Config) LessonDB() string { return filepath.Join(c.DataDir, "lessons.db") }

// TemporalDB is the path of the Temporal development server's database.
func (c *Config) TemporalDB() string { return filepath.Join(c.DataDir, "temporal.db") }

// FromEnv reads the configuration from the environment. Every problem is
// reported at once, each naming its variable.
func FromEnv() (*Config, error) {
	return Parse(os.Getenv)
}

// Parse reads the configuration through getenv, so tests can supply their
// own environment.
func Parse(getenv func(string) string) (*Config, error) {
	p := parser{getenv: getenv}
	c := &Config{
		Env:                  p.str("LESSONEXPORT_ENV", "production"),
		Addr:                 p.addr("LESSONEXPORT_ADDR", "127.0.0.1:8080"),
		DataDir:              p.str("LESSONEXPORT_DATA_DIR", "data"),
		JWTSecret:            getenv("LESSONEXPORT_JWT_SECRET"),
		TemporalAddress:      p.addr("LESSONEXPORT_TEMPORAL_ADDRESS", "127.0.0.1:7233"),
		TemporalNamespace:    p.str("LESSONEXPORT_TEMPORAL_NAMESPACE", "default"),
		MaxConcurrentExports: int(p.int("LESSONEXPORT_MAX_CONCURRENT_EXPORTS", 4, 1, 1024)),
		MaxFileBytes:         p.int("LESSONEXPORT_MAX_FILE_BYTES", 100<<20, 1024, 1<<40),
		MaxBodyBytes:         p.int("LESSONEXPORT_MAX_BODY_BYTES", 4<<20, 1024, 1<<30),
		MetricsAddr:          p.str("LESSONEXPORT_METRICS_ADDR", "127.0.0.1:9464"),
		ShutdownTimeout:      p.duration("LESSONEXPORT_SHUTDOWN_TIMEOUT", 15*time.Second),
		QueueTimeout:         p.duration("LESSONEXPORT_QUEUE_TIMEOUT", 10*time.Minute),
		SlowExportThreshold:  p.duration("LESSONEXPORT_SLOW_EXPORT_THRESHOLD", 30*time.Second),
		Retention:            p.duration("LESSONEXPORT_RETENTION", 30*24*time.Hour),
		MaxQueuedExports:     p.int("LESSONEXPORT_MAX_QUEUED_EXPORTS", 1000, 0, 1<<31),
	}
	if c.MetricsAddr != "" {
		c.MetricsAddr = p.addr("LESSONEXPORT_METRICS_ADDR", c.MetricsAddr)
	}
	switch c.Env {
	case "production", "development":
	default:
		p.fail("LESSONEXPORT_ENV", "must be production or development, not %q", c.Env)
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < MinSecretLength && !c.Development() {
		p.fail("LESSONEXPORT_JWT_SECRET", "must be at least %d bytes long", MinSecretLength)
	}
	if c.JWTSecret == "" && !c.Development() {
		p.fail("LESSONEXPORT_JWT_SECRET",
			"must be set (at least %d bytes) unless LESSONEXPORT_ENV=development", MinSecretLength)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		p.fail("LESSONEXPORT_DATA_DIR", "must not be empty")
	}
	if err := errors.Join(p.errs...); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	return c, nil
}

// EnsureSecret makes up a development JWT secret when none is configured and
// keeps it in the data folder, so development tokens outlive a restart. It
// does nothing when a secret is set.
func (c *Config) EnsureSecret() error {
	if c.JWTSecret != "" {
		return nil
	}
	if !c.Development() {
		return errors.New("configuration: LESSONEXPORT_JWT_SECRET must be set")
	}
	path := filepath.Join(c.DataDir, "dev-jwt-secret")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= MinSecretLength {
		c.JWTSecret = strings.TrimSpace(string(b))
		return nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return fmt.Errorf("make development secret: %w", err)
	}
	secret := hex.EncodeToString(buf)
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("make development secret: %w", err)
	}
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return fmt.Errorf("make development secret: %w", err)
	}
	c.JWTSecret = secret
	return nil
}

type parser struct {
	getenv func(string) string
	errs   []error
}

func (p *parser) fail(name, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s %s", name, fmt.Sprintf(format, args...)))
}

func (p *parser) str(name, def string) string {
	if v := p.getenv(name); v != "" {
		return v
	}
	return def
}

func (p *parser) addr(name, def string) string {
	v := p.str(name, def)
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		p.fail(name, "must be host:port, not %q", v)
		return v
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		p.fail(name, "has a bad port %q", port)
	}
	_ = host
	return v
}

func (p *parser) int(name string, def, min, max int64) int64 {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		p.fail(name, "must be an integer, not %q", v)
		return def
	}
	if n < min || n > max {
		p.fail(name, "must be between %d and %d, not %d", min, max, n)
		return def
	}
	return n
}

func (p *parser) duration(name string, def time.Duration) time.Duration {
	v := p.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		p.fail(name, "must be a positive duration such as 15s, not %q", v)
		return def
	}
	return d
}
