package web

import (
	"context"
	_ "embed"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

type healthCheck struct {
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// health reports whether Temporal and storage answer; 503 when either does
// not.
func (s *Server) health(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	checks := map[string]healthCheck{}
	status, code := "ok", http.StatusOK
	record := func(name string, err error) {
		if err != nil {
			checks[name] = healthCheck{Status: "down", Error: err.Error()}
			status, code = "degraded", http.StatusServiceUnavailable
			return
		}
		checks[name] = healthCheck{Status: "ok"}
	}
	record("temporal", s.opts.Exports.Check(ctx))
	record("storage", s.opts.Files.Check())
	if s.opts.Lessons != nil {
		record("database", s.opts.Lessons.Ping(ctx))
	}
	return c.JSON(code, map[string]any{"status": status, "checks": checks})
}

//go:embed openapi.json
var openAPIDocument []byte

func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDocument)
}

//go:embed index.html
var indexPage []byte

func (s *Server) index(c echo.Context) error {
	return c.HTMLBlob(http.StatusOK, indexPage)
}
