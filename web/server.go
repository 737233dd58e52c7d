package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"regexp"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"lessonexport/auth"
	"lessonexport/exports"
	"lessonexport/formats"
	"lessonexport/lesson"
	"lessonexport/lessonstore"
	"lessonexport/metrics"
	"lessonexport/storage"
)

// Files is what the web server needs of document storage.
type Files interface {
	Open(key string) (*os.File, storage.Info, error)
	Check() error
}

// Exports is what the web server needs of the export service.
type Exports interface {
	Create(ctx context.Context, req exports.CreateRequest) (*exports.Export, error)
	Get(ctx context.Context, user, id string) (*exports.Export, error)
	List(ctx context.Context, user string, pageSize int, token string) (*exports.Page, error)
	Cancel(ctx context.Context, user, id string) (*exports.Export, error)
	Retry(ctx context.Context, user, id string) (*exports.Export, error)
	Check(ctx context.Context) error
}

// Options holds the web server's dependencies and limits.
type Options struct {
	Lessons  lessonstore.Store
	Files    Files
	Exports  Exports
	Auth     *auth.HS256
	Registry *prometheus.Registry
	// Metrics, when set, receives HTTP and streaming-export metrics.
	Metrics *metrics.Metrics
	Logger  *slog.Logger
	// MaxBodyBytes caps request bodies; zero means 4 MiB.
	MaxBodyBytes int64
	// MaxDocumentBytes caps a streamed document, as storage caps a stored
	// one; zero means no cap.
	MaxDocumentBytes int64
	// Write renders a plan for the stream endpoint; nil means
	// formats.Write. Tests replace it to make generation fail.
	Write func(ctx context.Context, w io.Writer, f formats.Format, p *lesson.Plan) error
}

// Server is the Echo application.
type Server struct {
	echo *echo.Echo
	opts Options
	log  *slog.Logger
}

// New builds the server and its routes.
func New(opts Options) *Server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 4 << 20
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Write == nil {
		opts.Write = formats.Write
	}
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	s := &Server{echo: e, opts: opts, log: opts.Logger}
	e.HTTPErrorHandler = s.handleError
	e.Use(s.requestID, s.recoverPanic, s.accessLog, s.limitBody)

	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(opts.Registry,
		promhttp.HandlerOpts{Registry: opts.Registry})))
	e.GET("/openapi.json", s.openAPI)
	e.GET("/", s.index)

	api := e.Group("/api/v1")
	api.GET("/health", s.health)

	// Authentication is set per route rather than on a group: a group's
	// middleware would also answer unknown paths and wrong methods under
	// /api/v1, so that DELETE /api/v1/health asked for a token instead of
	// being a 405.
	authn := echo.MiddlewareFunc(s.authenticate)
	api.POST("/lessons", s.createLesson, authn)
	api.GET("/lessons", s.listLessons, authn)
	api.GET("/lessons/:id", s.getLesson, authn)
	api.PUT("/lessons/:id", s.replaceLesson, authn)
	api.DELETE("/lessons/:id", s.deleteLesson, authn)

	api.POST("/exports", s.createExport, authn)
	api.GET("/exports", s.listExports, authn)
	api.GET("/exports/stream/:lesson_id", s.streamExport, authn)
	api.GET("/exports/:id", s.getExport, authn)
	api.POST("/exports/:id/cancel", s.cancelExport, authn)
	api.POST("/exports/:id/retry", s.retryExport, authn)
	api.GET("/exports/:id/events", s.exportEvents, authn)
	api.GET("/exports/:id/download", s.downloadExport, authn)
	api.HEAD("/exports/:id/download", s.downloadExport, authn)
	api.HEAD("/health", s.health)

	return s
}

// Handler returns the server as an http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// Serve serves HTTP through srv on ln until ctx is done, then shuts down
// gracefully within timeout.
func (s *Server) Serve(ctx context.Context, ln net.Listener, srv *http.Server, timeout time.Duration) error {
	srv.Handler = s.echo
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

const (
	userKey      = "user"
	requestIDKey = "request_id"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// requestID takes the client's X-Request-ID when it is sane, or makes one,
// and echoes it in the response.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !requestIDPattern.MatchString(id) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

// recoverPanic turns a handler's panic into a 500 and a log line, except
// http.ErrAbortHandler, which must reach net/http to abort the connection.
func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			r := recover()
			if r == nil {
				return
			}
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.logger(c).Error("handler panicked", "event", "http_panic", "panic", r)
			err = apiError(http.StatusInternalServerError, "internal", "internal error")
		}()
		return next(c)
	}
}

func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		elapsed := time.Since(start).Seconds()
		s.opts.Metrics.HTTPRequest(c.Request().Method, c.Path(), c.Response().Status, elapsed)
		s.logger(c).Debug("request", "event", "http_request",
			"method", c.Request().Method, "route", c.Path(),
			"status", c.Response().Status, "duration_seconds", elapsed)
		return nil
	}
}

// limitBody caps every request body; reading past the cap fails, and the
// handler answers 413.
func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.ContentLength > s.opts.MaxBodyBytes {
			return apiError(http.StatusRequestEntityTooLarge, "too_large",
				"the request body is larger than the limit")
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, s.opts.MaxBodyBytes)
		return next(c)
	}
}

func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := auth.BearerToken(c.Request().Header.Get(echo.HeaderAuthorization))
		if !ok {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer`)
			return apiError(http.StatusUnauthorized, "unauthorized", "a bearer token is required")
		}
		user, err := s.opts.Auth.Verify(token, time.Now())
		if err != nil {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer error="invalid_token"`)
			return apiError(http.StatusUnauthorized, "unauthorized", "the bearer token is not valid")
		}
		c.Set(userKey, user)
		return next(c)
	}
}

func requestIDOf(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

func userOf(c echo.Context) string {
	u, _ := c.Get(userKey).(string)
	return u
}

// logger returns the server's logger with the request's ID and user.
func (s *Server) logger(c echo.Context) *slog.Logger {
	l := s.log
	if id, ok := c.Get(requestIDKey).(string); ok {
		l = l.With("request_id", id)
	}
	if u := userOf(c); u != "" {
		l = l.With("user_id", u)
	}
	return l
}
