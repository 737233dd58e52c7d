package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

var (
	secret = []byte("0123456789abcdef0123456789abcdef")
	now    = time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC)
)

func sign(t *testing.T, m jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(m, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewHS256(t *testing.T) {
	for _, n := range []int{0, 1, MinSecretLength - 1} {
		_, err := NewHS256(make([]byte, n))
		if err == nil || !strings.Contains(err.Error(), "MinSecretLength") {
			t.Errorf("secret of %d bytes: %v", n, err)
		}
	}
	key := append([]byte(nil), secret...)
	h, err := NewHS256(key)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := h.Mint("alice", time.Hour, now)
	key[0] ^= 1 // the verifier keeps its own copy
	if _, err := h.Verify(tok, now); err != nil {
		t.Errorf("secret not copied: %v", err)
	}
}

func TestMintVerify(t *testing.T) {
	h, _ := NewHS256(secret)
	tok, err := h.Mint("user-42 张", time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{now, now.Add(59 * time.Minute), now.Add(-Leeway + time.Second),
		now.Add(time.Hour + Leeway - time.Second)} {
		user, err := h.Verify(tok, at)
		if err != nil || user != "user-42 张" {
			t.Errorf("Verify at %v = %q, %v", at, user, err)
		}
	}
	for _, bad := range []struct {
		user string
		ttl  time.Duration
	}{{"", time.Hour}, {"  ", time.Hour}, {"a", 0}, {"a", -time.Second}} {
		if _, err := h.Mint(bad.user, bad.ttl, now); err == nil {
			t.Errorf("Mint(%q, %v) succeeded", bad.user, bad.ttl)
		}
	}
}

func TestVerifyRejects(t *testing.T) {
	h, _ := NewHS256(secret)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	exp := now.Add(time.Hour).Unix()
	good := jwt.MapClaims{"sub": "alice", "iat": now.Unix(), "exp": exp}
	with := func(k string, v any) jwt.MapClaims {
		c := jwt.MapClaims{}
		for kk, vv := range good {
			c[kk] = vv
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	valid := sign(t, jwt.SigningMethodHS256, secret, good)
	parts := strings.Split(valid, ".")
	enc := base64.RawURLEncoding.EncodeToString
	hs := func(c jwt.MapClaims) string { return sign(t, jwt.SigningMethodHS256, secret, c) }
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"expired", sign(t, jwt.SigningMethodHS256, secret,
			with("exp", now.Add(-time.Minute).Unix())), ErrExpired},
		{"not yet valid", sign(t, jwt.SigningMethodHS256, secret,
			with("nbf", now.Add(time.Minute).Unix())), ErrNotYetValid},
		{"issued in the future", sign(t, jwt.SigningMethodHS256, secret,
			with("iat", now.Add(time.Minute).Unix())), ErrNotYetValid},
		{"no exp", sign(t, jwt.SigningMethodHS256, secret, with("exp", nil)), ErrMissingExpiry},
		{"missing sub", hs(with("sub", nil)), ErrMissingSubject},
		{"empty sub", sign(t, jwt.SigningMethodHS256, secret, with("sub", "")), ErrMissingSubject},
		{"blank sub", hs(with("sub", "  ")), ErrMissingSubject},
		{"sub not a string", hs(with("sub", 42)), ErrMalformed},
		{"exp not a number", hs(with("exp", "soon")), ErrMalformed},
		{"wrong secret", sign(t, jwt.SigningMethodHS256,
			[]byte("another secret another secret 12"), good), ErrBadSignature},
		{"tampered claims", parts[0] + "." + enc([]byte(`{"sub":"admin","exp":`+
			"9999999999}")) + "." + parts[2], ErrBadSignature},
		{"alg none", sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good),
			ErrWrongAlgorithm},
		{"alg none with hs256 signature", enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
			parts[1] + "." + parts[2], ErrWrongAlgorithm},
		{"RS256", sign(t, jwt.SigningMethodRS256, rsaKey, good), ErrWrongAlgorithm},
		{"HS512", sign(t, jwt.SigningMethodHS512, secret, good), ErrWrongAlgorithm},
		{"RS256 header on HS256 signature", enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." +
			parts[1] + "." + parts[2], ErrWrongAlgorithm},
		{"unknown alg", enc([]byte(`{"alg":"XX1","typ":"JWT"}`)) + "." + parts[1] + "." +
			parts[2], ErrWrongAlgorithm},
		{"no alg", enc([]byte(`{"typ":"JWT"}`)) + "." + parts[1] + "." + parts[2],
			ErrWrongAlgorithm},
		{"garbage", "not a token", ErrMalformed},
		{"two parts", parts[0] + "." + parts[1], ErrMalformed},
		{"bad base64", "!!!." + parts[1] + "." + parts[2], ErrMalformed},
		{"empty", "", ErrMalformed},
		{"dots only", "..", ErrMalformed},
		{"too long", strings.Repeat("a", MaxTokenLength+1), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user, err := h.Verify(tt.token, now)
			if !errors.Is(err, ErrInvalidToken) || !errors.Is(err, tt.want) {
				t.Errorf("Verify = %q, %v; want %v", user, err, tt.want)
			}
			if user != "" {
				t.Errorf("user %q returned with an error", user)
			}
		})
	}
	if user, err := h.Verify(valid, now); err != nil || user != "alice" {
		t.Errorf("valid token: %q, %v", user, err)
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		header, token string
		ok            bool
	}{
		{"Bearer abc.def.ghi", "abc.def.ghi", true},
		{"bearer abc", "abc", true},
		{"BEARER abc", "abc", true},
		{"  Bearer   abc  ", "abc", true},
		{"Bearer", "", false},
		{"Bearer ", "", false},
		{"Bearer    ", "", false},
		{"Basic dXNlcjpwYXNz", "", false},
		{"Bearerabc", "", false},
		{"Bearer a b", "", false},
		{"Bearer a\tb", "", false},
		{"abc", "", false},
		{"", "", false},
		{"Token abc", "", false},
	}
	for _, tt := range tests {
		token, ok := BearerToken(tt.header)
		if token != tt.token || ok != tt.ok {
			t.Errorf("BearerToken(%q) = %q, %v; want %q, %v",
				tt.header, token, ok, tt.token, tt.ok)
		}
	}
}

// FuzzVerify checks that no input panics and that anything accepted is a
// token this secret signed.
func FuzzVerify(f *testing.F) {
	h, _ := NewHS256(secret)
	tok, _ := h.Mint("alice", time.Hour, now)
	f.Add(tok)
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("a.b.c")
	f.Fuzz(func(t *testing.T, s string) {
		user, err := h.Verify(s, now)
		if err != nil {
			if !errors.Is(err, ErrInvalidToken) || user != "" {
				t.Fatalf("Verify(%q) = %q, %v", s, user, err)
			}
			return
		}
		if user == "" {
			t.Fatalf("Verify(%q) accepted an empty user", s)
		}
		if _, ok := BearerToken("Bearer " + s); !ok && !strings.ContainsAny(s, " \t\r\n") {
			t.Fatalf("BearerToken refused %q", s)
		}
	})
}
