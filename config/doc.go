// Package config reads the service's settings from LESSONEXPORT_* environment
// variables, with defaults that run everything on one machine.
package config
