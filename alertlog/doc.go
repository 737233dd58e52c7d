// Package alertlog writes the service's logs as one JSON object a line, in
// the shape log aggregators such as Loki and ELK alert on: timestamp, level,
// event, service, component, message and context fields from a fixed list.
package alertlog
