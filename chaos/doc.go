// Package chaos holds the service's fault and load tests: they run the real
// Temporal development server, worker and web server as processes, kill and
// restart them, fill their disk and flood them with exports. The tests build
// only with the chaos build tag (make chaos).
package chaos
