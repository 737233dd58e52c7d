package web_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"lessonexport/auth"
	"lessonexport/config"
	"lessonexport/exports"
)

// apiRoutes are every /api/v1 route but health, with a path to try.
var apiRoutes = []struct{ method, path string }{
	{"POST", "/api/v1/lessons"},
	{"GET", "/api/v1/lessons"},
	{"GET", "/api/v1/lessons/les_x"},
	{"PUT", "/api/v1/lessons/les_x"},
	{"DELETE", "/api/v1/lessons/les_x"},
	{"POST", "/api/v1/exports"},
	{"GET", "/api/v1/exports"},
	{"GET", "/api/v1/exports/stream/les_x?format=pdf"},
	{"GET", "/api/v1/exports/exp_x"},
	{"POST", "/api/v1/exports/exp_x/cancel"},
	{"POST", "/api/v1/exports/exp_x/retry"},
	{"GET", "/api/v1/exports/exp_x/events"},
	{"GET", "/api/v1/exports/exp_x/download"},
}

func TestEveryRouteButHealthNeedsAValidToken(t *testing.T) {
	l := startLive(t)
	other, err := auth.NewHS256([]byte("another secret that is also 32 bytes or more"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	expired, _ := l.auth.Mint("alice", time.Minute, now.Add(-time.Hour))
	wrongKey, _ := other.Mint("alice", time.Hour, now)
	valid := l.token("alice")
	parts := strings.Split(valid, ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) +
		"." + parts[1] + "."
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(
		[]byte(`{"sub":"bob","exp":9999999999}`)) + "." + parts[2]
	headers := map[string]string{
		"missing":          "",
		"empty bearer":     "Bearer ",
		"basic scheme":     "Basic YWxpY2U6c2VjcmV0",
		"not a JWT":        "Bearer not-a-jwt",
		"two tokens":       "Bearer " + valid + " " + valid,
		"wrongly signed":   "Bearer " + wrongKey,
		"expired":          "Bearer " + expired,
		"alg none":         "Bearer " + none,
		"tampered payload": "Bearer " + tampered,
		"huge":             "Bearer " + strings.Repeat("a", 9000),
	}
	for name, h := range headers {
		for _, rt := range apiRoutes {
			r := l.raw(h, rt.method, rt.path, "application/json",
				bytes.NewReader([]byte(`{"title":"x"}`)))
			if r.status != http.StatusUnauthorized {
				t.Errorf("%s token: %s %s = %d", name, rt.method, rt.path, r.status)
				continue
			}
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s token: %s %s: WWW-Authenticate %q", name, rt.method, rt.path,
					r.header.Get("WWW-Authenticate"))
			}
			decodeErr(t, r)
		}
	}
	if r := l.raw("", "GET", "/api/v1/health", "", nil); r.status != http.StatusOK {
		t.Errorf("health without a token = %d", r.status)
	}
}

// TestOtherUsersSeeNothing makes a lesson and a completed export as alice
// and tries everything on them as bob: always 404, never 403, and bob's
// listings stay empty; alice's things are unchanged.
func TestOtherUsersSeeNothing(t *testing.T) {
	l := startLive(t)
	alice, bob := "alice-"+time.Now().Format("150405.000"), "bob-"+time.Now().Format("150405.000")
	lessonID := l.createLesson(alice, "application/json", []byte(`{"title": "Private 私有"}`))
	e := l.wait(alice, l.export(alice, lessonID, "word").ID)
	if e.Status != exports.StatusCompleted {
		t.Fatalf("export ended %+v", e)
	}
	body, _ := json.Marshal(map[string]string{"lesson_id": lessonID, "format": "pdf"})
	for _, rt := range []struct {
		method, path string
		body         []byte
	}{
		{"GET", "/api/v1/lessons/" + lessonID, nil},
		{"PUT", "/api/v1/lessons/" + lessonID, []byte(`{"title": "stolen"}`)},
		{"DELETE", "/api/v1/lessons/" + lessonID, nil},
		{"POST", "/api/v1/exports", body},
		{"GET", "/api/v1/exports/stream/" + lessonID + "?format=pdf", nil},
		{"GET", "/api/v1/exports/" + e.ID, nil},
		{"GET", "/api/v1/exports/" + e.ID + "/download", nil},
		{"GET", "/api/v1/exports/" + e.ID + "/events", nil},
		{"POST", "/api/v1/exports/" + e.ID + "/cancel", nil},
		{"POST", "/api/v1/exports/" + e.ID + "/retry", nil},
	} {
		r := l.do(bob, rt.method, rt.path, "application/json", rt.body)
		if r.status != http.StatusNotFound {
			t.Errorf("bob: %s %s = %d %.200s", rt.method, rt.path, r.status, r.body)
		}
	}
	for _, path := range []string{"/api/v1/lessons", "/api/v1/exports"} {
		r := l.do(bob, "GET", path, "", nil)
		if r.status != http.StatusOK || strings.Contains(string(r.body), lessonID) ||
			strings.Contains(string(r.body), e.ID) {
			t.Errorf("bob's %s = %d %s", path, r.status, r.body)
		}
	}
	r := l.do(alice, "GET", "/api/v1/lessons/"+lessonID, "", nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), "Private 私有") {
		t.Errorf("alice's lesson after bob's attempts = %d %s", r.status, r.body)
	}
	if r := l.do(alice, "GET", e.DownloadURL, "", nil); r.status != http.StatusOK ||
		int64(len(r.body)) != e.FileSize {
		t.Errorf("alice's download after bob's attempts = %d", r.status)
	}
}

// TestSecretIsRequiredOutsideDevelopment checks the configuration the
// service starts from: no secret or a short one stops it in production.
func TestSecretIsRequiredOutsideDevelopment(t *testing.T) {
	for _, tc := range []struct {
		env, secret string
		ok          bool
	}{
		{"production", "", false},
		{"", "", false},
		{"production", strings.Repeat("s", 31), false},
		{"production", strings.Repeat("s", 32), true},
		{"development", "", true},
	} {
		_, err := config.Parse(func(k string) string {
			switch k {
			case "LESSONEXPORT_ENV":
				return tc.env
			case "LESSONEXPORT_JWT_SECRET":
				return tc.secret
			}
			return ""
		})
		if (err == nil) != tc.ok {
			t.Errorf("env %q, secret of %d bytes: %v", tc.env, len(tc.secret), err)
		}
		if err != nil && !strings.Contains(err.Error(), "LESSONEXPORT_JWT_SECRET") {
			t.Errorf("the error does not name the variable: %v", err)
		}
	}
	if _, err := auth.NewHS256([]byte("short")); err == nil {
		t.Error("a 5-byte secret was accepted")
	}
}
