// Package metrics defines the service's Prometheus metrics on a private
// registry, bridges the Temporal SDK's metrics into the same registry through
// tally, and keeps every label value within a fixed set.
package metrics
