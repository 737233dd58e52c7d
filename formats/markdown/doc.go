// Package markdown writes a document as CommonMark with GFM tables, block by
// block, in a form that reads well as plain text and parses back to the same
// text.
package markdown
