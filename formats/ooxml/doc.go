// Package ooxml holds what the Office Open XML writers share: a streaming
// zip package with content types, relationships, XML escaping that drops
// characters XML 1.0 forbids, safe hyperlink targets and document properties.
package ooxml
