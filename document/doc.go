// Package document is the format-neutral model of an exported lesson plan:
// a Meta header and a stream of blocks (headings, paragraphs of styled runs,
// lists, tables, preformatted text) that every format writer consumes one at
// a time.
package document
