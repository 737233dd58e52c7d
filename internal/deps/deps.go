// Package deps pins the modules that packages under construction import.
package deps

import (
	_ "codeberg.org/go-pdf/fpdf"
	_ "github.com/golang-jwt/jwt/v5"
	_ "github.com/google/uuid"
	_ "github.com/labstack/echo/v4"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "github.com/yuin/goldmark"
	_ "go.temporal.io/sdk/client"
	_ "go.yaml.in/yaml/v3"
	_ "modernc.org/sqlite"
)
