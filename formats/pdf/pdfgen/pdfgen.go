package pdfgen

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/md5"
	"fmt"
	"hash"
	"io"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"
)

// Info is the document information a PDF carries.
type Info struct {
	// Title, Author, Subject, Keywords, Creator and Producer are the
	// entries of the same names; empty ones are left out.
	Title, Author, Subject, Keywords, Creator, Producer string
	// Lang is the document's language, a BCP 47 tag, or empty.
	Lang string
	// Created is the creation and modification date, written in UTC.
	Created time.Time
}

// Doc is a PDF file being written. Make one with New, add pages with
// BeginPage, and finish it with Close.
//
// Objects go to the output as they are made. A Doc keeps only what the
// end of the file needs: the offset of each object, the object number of
// each page, the outline entries and, per font, the glyphs used so far.
type Doc struct {
	out     *bufio.Writer
	sum     hash.Hash
	pos     int64
	offsets []int64 // by object number, from 1
	err     error

	pagesObj, resObj int
	kids             []int
	page             *Page
	fonts            []*Font
	marks            []mark
	total            *totalForm
	info             Info
	closed           bool
	// The address of the last link and the object of its action.
	uri    string
	uriObj int

	zbuf  bytes.Buffer
	spare []byte // the content buffer of the last page, for the next
	zw    *zlib.Writer
}

// mark is an outline entry.
type mark struct {
	title string
	level int
	page  int // object number of the page
	y     float64
}

// totalForm is the form XObject that shows the number of pages, which is
// known only at the end.
type totalForm struct {
	obj  int
	font *Font
	size float64
}

// New starts a PDF file on w and writes its header.
func New(w io.Writer, info Info) *Doc {
	d := &Doc{sum: md5.New(), info: info, offsets: make([]int64, 1, 64)}
	d.out = bufio.NewWriterSize(countingWriter{d, w}, 32<<10)
	d.pagesObj = d.reserve()
	d.resObj = d.reserve()
	d.writeString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	return d
}

// countingWriter passes bytes on to w, counting and hashing them.
type countingWriter struct {
	d *Doc
	w io.Writer
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.d.pos += int64(n)
	c.d.sum.Write(p[:n])
	return n, err
}

// Err returns the first error met writing the file.
func (d *Doc) Err() error { return d.err }

func (d *Doc) write(b []byte) {
	if d.err != nil {
		return
	}
	if _, err := d.out.Write(b); err != nil {
		d.err = fmt.Errorf("write pdf: %w", err)
	}
}

func (d *Doc) writeString(s string) {
	if d.err != nil {
		return
	}
	if _, err := d.out.WriteString(s); err != nil {
		d.err = fmt.Errorf("write pdf: %w", err)
	}
}

// offset returns the position of the next byte written.
func (d *Doc) offset() int64 { return d.pos + int64(d.out.Buffered()) }

// reserve returns a new object number, for an object written later.
func (d *Doc) reserve() int {
	d.offsets = append(d.offsets, -1)
	return len(d.offsets) - 1
}

// object writes object n with the given body.
func (d *Doc) object(n int, body []byte) {
	d.beginObject(n)
	d.write(body)
	d.writeString("\nendobj\n")
}

func (d *Doc) beginObject(n int) {
	d.offsets[n] = d.offset()
	d.writeString(strconv.Itoa(n) + " 0 obj\n")
}

// stream writes object n as a stream of data, compressed, with the
// entries dict (without brackets) in its dictionary.
func (d *Doc) stream(n int, dict string, data []byte) {
	d.zbuf.Reset()
	if d.zw == nil {
		d.zw = zlibPool.Get().(*zlib.Writer)
	}
	d.zw.Reset(&d.zbuf)
	d.zw.Write(data)
	d.zw.Close()
	d.beginObject(n)
	d.writeString("<<" + dict + "/Filter/FlateDecode/Length " +
		strconv.Itoa(d.zbuf.Len()) + ">>\nstream\n")
	d.write(d.zbuf.Bytes())
	d.writeString("\nendstream\nendobj\n")
}

// zlibPool holds compressors for reuse: making one costs more than
// compressing the content of a small document.
var zlibPool = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

// BeginPage starts a page of the given size in points, ending the page
// before if it is still open.
func (d *Doc) BeginPage(w, h float64) *Page {
	d.EndPage()
	d.page = &Page{d: d, w: w, h: h, obj: d.reserve(), fill: -1, stroke: -1, lw: -1,
		buf: d.spare[:0]}
	d.kids = append(d.kids, d.page.obj)
	return d.page
}

// PageCount returns the number of pages begun so far.
func (d *Doc) PageCount() int { return len(d.kids) }

// EndPage writes the open page, if there is one.
func (d *Doc) EndPage() {
	p := d.page
	if p == nil {
		return
	}
	d.page = nil
	content := d.reserve()
	d.stream(content, "", p.buf)
	d.spare = p.buf
	var b []byte
	b = append(b, "<</Type/Page/Parent "...)
	b = appendRef(b, d.pagesObj)
	b = append(b, "/MediaBox[0 0 "...)
	b = appendNum(b, p.w)
	b = append(b, ' ')
	b = appendNum(b, p.h)
	b = append(b, "]/Resources "...)
	b = appendRef(b, d.resObj)
	b = append(b, "/Contents "...)
	b = appendRef(b, content)
	if len(p.annots) > 0 {
		b = append(b, "/Annots["...)
		b = append(b, p.annots...)
		b = append(b, ']')
	}
	b = append(b, ">>"...)
	d.object(p.obj, b)
	if d.err == nil {
		if err := d.out.Flush(); err != nil {
			d.err = fmt.Errorf("write pdf: %w", err)
		}
	}
}

// Bookmark adds an outline entry for the point at height y of the open
// page. Levels start at 0; a level more than one deeper than the entry
// before is taken as one deeper.
func (d *Doc) Bookmark(title string, level int, y float64) {
	if d.page == nil {
		return
	}
	d.marks = append(d.marks, mark{title: title, level: max(level, 0), page: d.page.obj,
		y: y})
}

// Close ends the open page, writes the fonts, the outline, the document
// information and the cross-reference table, and flushes the output.
func (d *Doc) Close() error {
	if d.closed {
		return d.err
	}
	d.closed = true
	d.EndPage()
	if d.total != nil {
		d.writeTotal()
	}
	for _, f := range d.fonts {
		if f.obj != 0 {
			d.writeFont(f)
		}
	}
	// The shared resources of every page.
	res := []byte("<</Font<<")
	for _, f := range d.fonts {
		if f.obj != 0 {
			res = append(res, '/')
			res = append(res, f.res...)
			res = append(res, ' ')
			res = appendRef(res, f.obj)
		}
	}
	res = append(res, ">>"...)
	if d.total != nil {
		res = append(res, "/XObject<</Total "...)
		res = appendRef(res, d.total.obj)
		res = append(res, ">>"...)
	}
	res = append(res, ">>"...)
	d.object(d.resObj, res)
	pages := []byte("<</Type/Pages/Kids[")
	for i, k := range d.kids {
		if i > 0 {
			pages = append(pages, ' ')
		}
		pages = appendRef(pages, k)
	}
	pages = append(pages, "]/Count "...)
	pages = strconv.AppendInt(pages, int64(len(d.kids)), 10)
	pages = append(pages, ">>"...)
	d.object(d.pagesObj, pages)
	outlines := d.writeOutline()
	info := d.writeInfo()
	catalog := d.reserve()
	cat := []byte("<</Type/Catalog/Pages ")
	cat = appendRef(cat, d.pagesObj)
	if outlines != 0 {
		cat = append(cat, "/Outlines "...)
		cat = appendRef(cat, outlines)
		cat = append(cat, "/PageMode/UseOutlines"...)
	}
	if d.info.Lang != "" {
		cat = append(cat, "/Lang"...)
		cat = appendText(cat, d.info.Lang)
	}
	cat = append(cat, ">>"...)
	d.object(catalog, cat)
	d.writeXref(catalog, info)
	if d.zw != nil {
		zlibPool.Put(d.zw)
		d.zw = nil
	}
	if d.err == nil {
		if err := d.out.Flush(); err != nil {
			d.err = fmt.Errorf("write pdf: %w", err)
		}
	}
	return d.err
}

// writeXref writes the cross-reference table and the trailer. The file
// identifier is a hash of everything before it, so the same content gives
// the same file.
func (d *Doc) writeXref(catalog, info int) {
	for n, off := range d.offsets[1:] {
		if off < 0 && d.err == nil {
			d.err = fmt.Errorf("write pdf: object %d was never written", n+1)
		}
	}
	if d.err == nil {
		// The hash must cover all that is written so far.
		if err := d.out.Flush(); err != nil {
			d.err = fmt.Errorf("write pdf: %w", err)
		}
	}
	id := fmt.Sprintf("%x", d.sum.Sum(nil))
	start := d.offset()
	var b []byte
	b = append(b, "xref\n0 "...)
	b = strconv.AppendInt(b, int64(len(d.offsets)), 10)
	b = append(b, "\n0000000000 65535 f \n"...)
	for _, off := range d.offsets[1:] {
		b = fmt.Appendf(b, "%010d 00000 n \n", off)
	}
	b = fmt.Appendf(b, "trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]>>\n",
		len(d.offsets), catalog, info, id, id)
	b = fmt.Appendf(b, "startxref\n%d\n%%%%EOF\n", start)
	d.write(b)
}

// writeInfo writes the document information dictionary.
func (d *Doc) writeInfo() int {
	n := d.reserve()
	b := []byte("<<")
	for _, e := range []struct{ key, value string }{
		{"Title", d.info.Title}, {"Author", d.info.Author}, {"Subject", d.info.Subject},
		{"Keywords", d.info.Keywords}, {"Creator", d.info.Creator},
		{"Producer", d.info.Producer},
	} {
		if e.value != "" {
			b = append(b, '/')
			b = append(b, e.key...)
			b = appendText(b, e.value)
		}
	}
	date := "(D:" + d.info.Created.UTC().Format("20060102150405") + "Z)"
	b = append(b, "/CreationDate "+date+"/ModDate "+date+">>"...)
	d.object(n, b)
	return n
}

// writeOutline writes the outline tree and returns its object number, or
// 0 when there are no entries.
func (d *Doc) writeOutline() int {
	if len(d.marks) == 0 {
		return 0
	}
	root := d.reserve()
	type node struct {
		obj, parent        int // parent is an index, -1 for the root
		first, last, count int // indexes, -1 for none
		prev, next         int
		m                  *mark
	}
	nodes := make([]node, len(d.marks))
	var stack []int // the open entry at each level
	rootFirst, rootLast, rootCount := -1, -1, 0
	for i := range d.marks {
		m := &d.marks[i]
		level := min(m.level, len(stack))
		stack = stack[:level]
		nd := &nodes[i]
		*nd = node{obj: d.reserve(), parent: -1, first: -1, last: -1, prev: -1, next: -1, m: m}
		if level > 0 {
			nd.parent = stack[level-1]
			p := &nodes[nd.parent]
			if p.last >= 0 {
				nodes[p.last].next = i
				nd.prev = p.last
			} else {
				p.first = i
			}
			p.last = i
		} else {
			if rootLast >= 0 {
				nodes[rootLast].next = i
				nd.prev = rootLast
			} else {
				rootFirst = i
			}
			rootLast = i
		}
		for _, a := range stack {
			nodes[a].count++
		}
		rootCount++
		stack = append(stack, i)
	}
	ref := func(b []byte, key string, i int) []byte {
		if i < 0 {
			return b
		}
		b = append(b, key...)
		return appendRef(b, nodes[i].obj)
	}
	for i := range nodes {
		nd := &nodes[i]
		b := []byte("<</Title")
		b = appendText(b, nd.m.title)
		b = append(b, "/Parent "...)
		if nd.parent < 0 {
			b = appendRef(b, root)
		} else {
			b = appendRef(b, nodes[nd.parent].obj)
		}
		b = ref(b, "/Prev ", nd.prev)
		b = ref(b, "/Next ", nd.next)
		b = ref(b, "/First ", nd.first)
		b = ref(b, "/Last ", nd.last)
		if nd.count > 0 {
			b = append(b, "/Count "...)
			b = strconv.AppendInt(b, int64(nd.count), 10)
		}
		b = append(b, "/Dest["...)
		b = appendRef(b, nd.m.page)
		b = append(b, "/XYZ 0 "...)
		b = appendNum(b, nd.m.y)
		b = append(b, " null]>>"...)
		d.object(nd.obj, b)
	}
	b := []byte("<</Type/Outlines")
	b = ref(b, "/First ", rootFirst)
	b = ref(b, "/Last ", rootLast)
	b = append(b, "/Count "...)
	b = strconv.AppendInt(b, int64(rootCount), 10)
	b = append(b, ">>"...)
	d.object(root, b)
	return root
}

// appendRef appends an indirect reference to object n.
func appendRef(b []byte, n int) []byte {
	b = strconv.AppendInt(b, int64(n), 10)
	return append(b, " 0 R"...)
}

// appendNum appends v with at most three decimals.
func appendNum(b []byte, v float64) []byte {
	if v != v || v > 1e7 || v < -1e7 {
		v = 0 // NaN or absurd: keep the file valid
	}
	start := len(b)
	b = strconv.AppendFloat(b, v, 'f', 3, 64)
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	if s := string(b[start:]); s == "-0" {
		b = append(b[:start], '0')
	}
	return b
}

// appendText appends s as a PDF text string: UTF-16BE with a byte order
// mark, in hexadecimal.
func appendText(b []byte, s string) []byte {
	b = append(b, "<FEFF"...)
	for _, u := range utf16.Encode([]rune(s)) {
		b = fmt.Appendf(b, "%04X", u)
	}
	return append(b, '>')
}
