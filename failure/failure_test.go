package failure

import (
	"context"
	"errors"
	"fmt"
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
)

func TestOfMapsEveryErrorToAKind(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want Kind
	}{
		{"validation", NewError(Validation, "bad", nil), Validation},
		{"storage wrapped", fmt.Errorf("step: %w", NewError(Storage, "disk", nil)), Storage},
		{"timeout", temporal.NewTimeoutError(enumspb.TIMEOUT_TYPE_START_TO_CLOSE, nil), Timeout},
		{"deadline", context.DeadlineExceeded, Timeout},
		{"unknown application type", temporal.NewApplicationError("x", "Weird"), Generation},
		{"plain", errors.New("boom"), Generation},
	}
	for _, tc := range cases {
		if got := Of(tc.err); got != tc.want {
			t.Errorf("%s: Of = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNewErrorIsNonRetryableOnlyForKindsRetryingCannotMend(t *testing.T) {
	for _, k := range []Kind{Validation, Generation, Storage, Timeout} {
		var app *temporal.ApplicationError
		if !errors.As(NewError(k, "m", nil), &app) {
			t.Fatalf("%s: not an application error", k)
		}
		if app.NonRetryable() == k.Retryable() {
			t.Errorf("%s: non-retryable = %v", k, app.NonRetryable())
		}
	}
}

func TestQueueTimeoutAndClass(t *testing.T) {
	queued := fmt.Errorf("activity: %w",
		temporal.NewTimeoutError(enumspb.TIMEOUT_TYPE_SCHEDULE_TO_START, nil))
	if !QueueTimeout(queued) {
		t.Fatal("a schedule-to-start timeout is a queue timeout")
	}
	if QueueTimeout(temporal.NewTimeoutError(enumspb.TIMEOUT_TYPE_HEARTBEAT, nil)) {
		t.Fatal("a heartbeat timeout is no queue timeout")
	}
	if c := Class(queued); c == "" || c[:13] != "TimeoutError:" {
		t.Fatalf("class = %q", c)
	}
	if c := Class(NewError(Storage, "m", errors.New("x"))); c != "ApplicationError:storage" {
		t.Fatalf("class = %q", c)
	}
	if Message(NewError(Storage, "the disk is full", nil)) != "the disk is full" {
		t.Fatal("message is not the application error's")
	}
}
