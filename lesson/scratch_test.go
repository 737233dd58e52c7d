package lesson

import (
	"fmt"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

func TestScratch(t *testing.T) {
	src := []byte("# T\n\n##\n\nTitle\n===\n\n- a\n  - b\n-   c\n\n  more\n\n1. x\n```\ncode\n```\n\n| A | B |\n|---|---|\n| 1 | 2 |\n3\n\n> q\n")
	md := goldmark.New(goldmark.WithExtensions(extension.Table))
	doc := md.Parser().Parse(text.NewReader(src))
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		fmt.Printf("%s pos=%d lines=%d\n", n.Kind(), n.Pos(), n.Lines().Len())
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			extra := ""
			if li, ok := c.(*ast.ListItem); ok { extra = fmt.Sprint(" offset=", li.Offset) }
			fmt.Printf("   %s pos=%d%s\n", c.Kind(), c.Pos(), extra)
		}
	}
}
