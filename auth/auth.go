package auth

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// MinSecretLength is the shortest signing secret NewHS256 accepts, in bytes:
// the length of an HS256 signature.
const MinSecretLength = 32

// Leeway is the clock difference allowed when checking a token's times.
const Leeway = 30 * time.Second

// MaxTokenLength is the longest token Verify reads, in bytes; longer ones
// are malformed.
const MaxTokenLength = 8 << 10

// ErrInvalidToken reports a token that cannot be trusted. Every error of
// Verify wraps it, and also one of the more specific errors below.
var ErrInvalidToken = errors.New("invalid token")

// Reasons a token is invalid; each wraps ErrInvalidToken.
var (
	// ErrMalformed reports a token that is not a well-formed JWT.
	ErrMalformed = reason("malformed")
	// ErrWrongAlgorithm reports a token not signed with HS256.
	ErrWrongAlgorithm = reason("wrong algorithm")
	// ErrBadSignature reports a token whose signature does not match.
	ErrBadSignature = reason("bad signature")
	// ErrExpired reports a token past its expiry time.
	ErrExpired = reason("expired")
	// ErrNotYetValid reports a token used before its not-before or
	// issued-at time.
	ErrNotYetValid = reason("not yet valid")
	// ErrMissingExpiry reports a token without an expiry time.
	ErrMissingExpiry = reason("missing exp")
	// ErrMissingSubject reports a token without a subject.
	ErrMissingSubject = reason("missing sub")
)

func reason(s string) error { return fmt.Errorf("%w: %s", ErrInvalidToken, s) }

// HS256 verifies and mints tokens signed with HMAC-SHA256 under one secret.
// It is safe for concurrent use.
type HS256 struct {
	secret []byte
}

// NewHS256 returns a verifier for secret, which must be at least
// MinSecretLength bytes long. The secret is copied.
func NewHS256(secret []byte) (*HS256, error) {
	if len(secret) < MinSecretLength {
		return nil, fmt.Errorf("new HS256: secret has %d bytes, MinSecretLength is %d",
			len(secret), MinSecretLength)
	}
	return &HS256{secret: append([]byte(nil), secret...)}, nil
}

// Verify checks token as of now and returns its subject, the user it was
// issued to. Only HS256 is accepted; the token must carry a non-empty "sub"
// and an "exp", and "exp", "nbf" and "iat" are checked allowing Leeway.
// Every error wraps ErrInvalidToken and one of the reasons above.
func (h *HS256) Verify(token string, now time.Time) (string, error) {
	if token == "" || len(token) > MaxTokenLength {
		return "", ErrMalformed
	}
	p := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	var claims jwt.RegisteredClaims
	t, err := p.ParseWithClaims(token, &claims, func(t *jwt.Token) (any, error) {
		if t.Method != jwt.SigningMethodHS256 {
			return nil, ErrWrongAlgorithm
		}
		return h.secret, nil
	})
	if err != nil {
		return "", classify(t, err)
	}
	if strings.TrimSpace(claims.Subject) == "" {
		return "", ErrMissingSubject
	}
	return claims.Subject, nil
}

// classify maps the JWT library's errors to this package's reasons. The
// parsed token, when there is one, tells a wrong algorithm from a bad
// signature.
func classify(t *jwt.Token, err error) error {
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return ErrMalformed
	case t != nil && (t.Method != jwt.SigningMethodHS256 ||
		t.Header["alg"] != jwt.SigningMethodHS256.Alg()):
		return ErrWrongAlgorithm
	case errors.Is(err, ErrWrongAlgorithm), errors.Is(err, jwt.ErrTokenUnverifiable):
		return ErrWrongAlgorithm
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return ErrBadSignature
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return ErrMissingExpiry
	case errors.Is(err, jwt.ErrTokenExpired):
		return ErrExpired
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return ErrNotYetValid
	}
	return ErrMalformed
}

// Mint issues a token for user valid from now for ttl, with the claims
// "sub", "iat" and "exp".
func (h *HS256) Mint(user string, ttl time.Duration, now time.Time) (string, error) {
	if strings.TrimSpace(user) == "" {
		return "", errors.New("mint token: empty user")
	}
	if ttl <= 0 {
		return "", fmt.Errorf("mint token: ttl %v is not positive", ttl)
	}
	claims := jwt.RegisteredClaims{
		Subject:   user,
		IssuedAt:  jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(h.secret)
	if err != nil {
		return "", fmt.Errorf("mint token: %w", err)
	}
	return s, nil
}

// BearerToken returns the token of an Authorization header value of the
// form "Bearer <token>", the scheme matched without regard to case. It
// reports false for any other scheme, a missing token or a token holding
// spaces.
func BearerToken(header string) (string, bool) {
	header = strings.TrimSpace(header)
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimLeft(token, " ")
	if token == "" || strings.ContainsAny(token, " \t\r\n") {
		return "", false
	}
	return token, true
}
