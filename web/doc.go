// Package web is the HTTP face of the service: the Echo server with the
// lesson and export API, the streaming endpoint, health, metrics and the
// OpenAPI description.
package web
