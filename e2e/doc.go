// Package e2e holds the end-to-end tests: a real Temporal development
// server, a worker and the web server, driven over HTTP as clients drive
// the service.
package e2e
