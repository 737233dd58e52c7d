// These tests replace Options.Write, which the stream endpoint calls to
// generate, to make generation fail before and after the first byte.

package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"lessonexport/formats"
	"lessonexport/lesson"
)

// lateFailure writes `before` bytes of document and then fails as a
// generator does.
func lateFailure(before int) func(context.Context, io.Writer, formats.Format, *lesson.Plan) error {
	return func(_ context.Context, w io.Writer, _ formats.Format, _ *lesson.Plan) error {
		if before > 0 {
			if _, err := w.Write(bytes.Repeat([]byte("x"), before)); err != nil {
				return err
			}
		}
		return fmt.Errorf("%w: the writer gave up", formats.ErrGeneration)
	}
}

func TestStreamGenerationFailure(t *testing.T) {
	tests := []struct {
		name   string
		before int
		// aborted: the body must end in an error; otherwise a 500 JSON error.
		aborted bool
	}{
		{"before the first byte", 0, false},
		{"after the first byte", 64 << 10, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env := newStreamEnv(t)
			opts := env.server.opts
			opts.Write = lateFailure(tc.before)
			srv := New(opts)
			ts := env.start(srv.Handler())
			id := env.add(examplePlan(t))

			resp, err := client().Do(env.request(context.Background(), ts.URL, id, "markdown"))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if tc.aborted {
				if err == nil {
					t.Fatalf("the body ended cleanly after %d bytes; want an error", len(body))
				}
				if !errors.Is(err, io.ErrUnexpectedEOF) && !isConnReset(err) {
					t.Errorf("body error = %v; want an unexpected EOF", err)
				}
				if resp.StatusCode != http.StatusOK || len(body) == 0 {
					t.Errorf("status %d, %d bytes; want 200 and a partial body",
						resp.StatusCode, len(body))
				}
			} else {
				if err != nil {
					t.Fatalf("read body: %v", err)
				}
				if resp.StatusCode != http.StatusInternalServerError ||
					!bytes.Contains(body, []byte(`"generation"`)) {
					t.Errorf("status %d body %s; want 500 with code generation",
						resp.StatusCode, body)
				}
			}
			line := logLine(t, env.log.String(), "streaming_export_failed")
			if !strings.Contains(line, `"error_type":"generation"`) {
				t.Errorf("log line %s; want error_type generation", line)
			}
		})
	}
}
