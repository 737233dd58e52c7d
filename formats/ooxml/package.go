package ooxml

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Content types of the parts both writers emit.
const (
	TypeRels = "application/vnd.openxmlformats-package.relationships+xml"
	TypeCore = "application/vnd.openxmlformats-package.core-properties+xml"
	TypeApp  = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
)

// Relationship types of the parts both writers emit.
const (
	RelOfficeDocument = "http://schemas.openxmlformats.org/officeDocument/2006/" +
		"relationships/officeDocument"
	RelCore = "http://schemas.openxmlformats.org/package/2006/relationships/" +
		"metadata/core-properties"
	RelApp = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/" +
		"extended-properties"
	RelHyperlink = "http://schemas.openxmlformats.org/officeDocument/2006/" +
		"relationships/hyperlink"
	RelTheme = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
)

// Header is the XML declaration every part starts with.
const Header = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// epoch is the zip time used when a document has no creation time; zip
// cannot store earlier times.
var epoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Package writes an OPC package (a zip of XML parts) one part at a time. It
// records the content type of each part and writes [Content_Types].xml when
// it is closed.
type Package struct {
	zw        *zip.Writer
	modified  time.Time
	part      *Part
	overrides []string
	names     map[string]bool
	closed    bool
	buf       *bufio.Writer
	entry     *entry
}

// smallPart is the size up to which a part is stored rather than deflated.
const smallPart = 4096

// NewPackage returns a Package writing to w whose zip entries all carry the
// time modified, so that equal input gives equal bytes.
func NewPackage(w io.Writer, modified time.Time) *Package {
	if modified.Before(epoch) {
		modified = epoch
	}
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, newFlate)
	return &Package{
		zw:       zw,
		modified: modified.UTC(),
		names:    map[string]bool{},
	}
}

// flates holds deflate writers for reuse. A presentation has thousands of
// small parts, and a new writer at the default level clears 640 KB of hash
// tables each time, which made that clearing most of the work. BestSpeed
// resets in constant time and compresses XML nearly as well.
var flates = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(nil, flate.BestSpeed)
	return fw
}}

// pooledFlate returns its writer to the pool when closed.
type pooledFlate struct{ *flate.Writer }

func (p pooledFlate) Close() error {
	err := p.Writer.Close()
	flates.Put(p.Writer)
	return err
}

func newFlate(w io.Writer) (io.WriteCloser, error) {
	fw := flates.Get().(*flate.Writer)
	fw.Reset(w)
	return pooledFlate{fw}, nil
}

// Part is one zip entry being written. Writes are buffered and their errors
// kept until the part is finished; a Part is finished when the next one is
// created or the package is closed.
type Part struct {
	*bufio.Writer
}

// Text writes s as escaped XML character data.
func (p *Part) Text(s string) { _, _ = p.WriteString(Escape(s)) }

// Printf writes formatted raw XML. Arguments are not escaped.
func (p *Part) Printf(format string, args ...any) { _, _ = fmt.Fprintf(p, format, args...) }

// Create finishes the current part and starts the part name (without a
// leading slash) of the given content type. An empty contentType means the
// part's extension has a default content type.
func (p *Package) Create(name, contentType string) (*Part, error) {
	if p.closed {
		return nil, errors.New("create part: package is closed")
	}
	if err := p.finish(); err != nil {
		return nil, err
	}
	if p.names[name] {
		return nil, fmt.Errorf("create part %s: duplicate name", name)
	}
	p.names[name] = true
	if contentType != "" {
		p.overrides = append(p.overrides, "/"+name, contentType)
	}
	if p.entry == nil {
		p.entry = &entry{zw: p.zw, pending: make([]byte, 0, smallPart)}
	}
	p.entry.reset(zip.FileHeader{Name: name, Modified: p.modified})
	// One part is open at a time, so one buffer serves them all.
	if p.buf == nil {
		p.buf = bufio.NewWriterSize(p.entry, 16<<10)
	} else {
		p.buf.Reset(p.entry)
	}
	p.part = &Part{p.buf}
	return p.part, nil
}

// entry is a zip entry whose compression is chosen by its size: it holds
// the first bytes, and a part that ends within smallPart bytes is stored,
// a longer one deflated. Deflate gains a few hundred bytes on a small part
// and costs more time than the rest of writing it; a presentation has
// thousands of them.
type entry struct {
	zw      *zip.Writer
	header  zip.FileHeader
	w       io.Writer
	pending []byte
}

func (e *entry) Write(b []byte) (int, error) {
	if e.w == nil {
		if len(e.pending)+len(b) <= smallPart {
			e.pending = append(e.pending, b...)
			return len(b), nil
		}
		if err := e.open(zip.Deflate); err != nil {
			return 0, err
		}
	}
	return e.w.Write(b)
}

func (e *entry) open(method uint16) error {
	// The zip writer keeps the header it is given, so each entry gets its
	// own.
	h := e.header
	h.Method = method
	w, err := e.zw.CreateHeader(&h)
	if err != nil {
		return fmt.Errorf("create part %s: %w", e.header.Name, err)
	}
	e.w = w
	if len(e.pending) > 0 {
		if _, err := w.Write(e.pending); err != nil {
			return err
		}
	}
	e.pending = e.pending[:0]
	return nil
}

// reset makes e a new entry, keeping its buffer.
func (e *entry) reset(h zip.FileHeader) {
	e.header, e.w, e.pending = h, nil, e.pending[:0]
}

// close writes the entry if it is still held, stored.
func (e *entry) close() error {
	if e.w != nil {
		return nil
	}
	return e.open(zip.Store)
}

func (p *Package) finish() error {
	if p.part == nil {
		return nil
	}
	err := p.part.Flush()
	if err == nil {
		err = p.entry.close()
	}
	p.part = nil
	if err != nil {
		return fmt.Errorf("write part: %w", err)
	}
	return nil
}

// WritePart creates the part name and writes body to it after the XML
// declaration.
func (p *Package) WritePart(name, contentType, body string) error {
	w, err := p.Create(name, contentType)
	if err != nil {
		return err
	}
	_, _ = w.WriteString(Header)
	_, _ = w.WriteString(body)
	return p.finish()
}

// Close finishes the current part, writes [Content_Types].xml with a
// default type for .rels and .xml parts and an override for every part
// created with a content type, and closes the zip.
func (p *Package) Close() error {
	if p.closed {
		return errors.New("close package: already closed")
	}
	if err := p.finish(); err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	b.WriteString(`<Default Extension="rels" ContentType="` + TypeRels + `"/>`)
	b.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	for i := 0; i < len(p.overrides); i += 2 {
		b.WriteString(`<Override PartName="` + Escape(p.overrides[i]) +
			`" ContentType="` + Escape(p.overrides[i+1]) + `"/>`)
	}
	b.WriteString(`</Types>`)
	if err := p.WritePart("[Content_Types].xml", "", b.String()); err != nil {
		return err
	}
	p.closed = true
	if err := p.zw.Close(); err != nil {
		return fmt.Errorf("close package: %w", err)
	}
	return nil
}

// Rels is the relationships of one part, numbered rId1, rId2, ... in the
// order they are added.
type Rels struct {
	list []rel
}

type rel struct {
	typ, target string
	external    bool
}

// Add adds a relationship and returns its id. Internal targets are relative
// to the source part's folder.
func (r *Rels) Add(typ, target string, external bool) string {
	r.list = append(r.list, rel{typ, target, external})
	return "rId" + strconv.Itoa(len(r.list))
}

// Len returns the number of relationships.
func (r *Rels) Len() int { return len(r.list) }

// XML returns the relationships part.
func (r *Rels) XML() string {
	var b strings.Builder
	b.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/` +
		`relationships">`)
	for i, x := range r.list {
		b.WriteString(`<Relationship Id="rId` + strconv.Itoa(i+1) + `" Type="` +
			Escape(x.typ) + `" Target="` + Escape(x.target) + `"`)
		if x.external {
			b.WriteString(` TargetMode="External"`)
		}
		b.WriteString(`/>`)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

// RelsName returns the name of the relationships part of the part name.
func RelsName(name string) string {
	dir, file := "", name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		dir, file = name[:i+1], name[i+1:]
	}
	return dir + "_rels/" + file + ".rels"
}

// WriteRels writes r as the relationships part of the part source.
func (p *Package) WriteRels(source string, r *Rels) error {
	return p.WritePart(RelsName(source), "", r.XML())
}
