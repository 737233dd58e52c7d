// Package deploy holds the container and monitoring configuration of the
// service (Prometheus, Alertmanager, Loki, Alloy, Grafana, Temporal setup)
// and the tests that check it; it has no code of its own.
package deploy
