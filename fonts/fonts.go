package fonts

import (
	_ "embed"
	"fmt"
	"sync"
)

//go:embed wqy-microhei.ttc
var collection []byte

//go:embed DejaVuSans.ttf
var dejaVuSans []byte

// Face is one face of the embedded collection.
type Face int

const (
	// SansFace is the proportional face "WenQuanYi Micro Hei".
	SansFace Face = iota
	// MonoFace is "WenQuanYi Micro Hei Mono": Latin letters are half as wide
	// as CJK characters, which are all of one width.
	MonoFace
	// FallbackFace is DejaVu Sans, a proportional face with no CJK glyphs
	// but many that WenQuanYi Micro Hei lacks, such as the phonetic
	// symbols of the IPA (ə, ʌ, ˈ). Use it for characters the other faces
	// do not have.
	FallbackFace
)

// collectionIndex maps a Face to its index in the collection, as read from
// the faces' name tables (see the tests); -1 is a face in a file of its own.
var collectionIndex = [...]int{SansFace: 0, MonoFace: 1, FallbackFace: -1}

// postScriptNames are the names the faces go by in a PDF.
var postScriptNames = [...]string{SansFace: "WenQuanYiMicroHei",
	MonoFace: "WenQuanYiMicroHeiMono", FallbackFace: "DejaVuSans"}

// face is what is computed once per Face.
type face struct {
	once  sync.Once
	view  sfnt
	font  *Font
	names Names
	err   error

	ttfOnce sync.Once
	ttf     []byte
}

var faces [len(collectionIndex)]face

func (f Face) load() *face {
	c := &faces[f]
	c.once.Do(func() {
		data, start := dejaVuSans, 0
		if i := collectionIndex[f]; i >= 0 {
			data = collection
			start, c.err = collectionFace(collection, i)
		}
		if c.err == nil {
			c.view, c.err = openFace(data, start)
		}
		if c.err == nil {
			c.font, c.err = parseFont(c.view, postScriptNames[f])
		}
		if c.err == nil {
			c.names, c.err = readNames(c.view)
		}
		if c.err != nil {
			c.err = fmt.Errorf("load face %d: %w", f, c.err)
			c.font = nil
		}
	})
	return c
}

// valid reports whether f is one of the declared faces.
func (f Face) valid() bool { return f >= 0 && int(f) < len(collectionIndex) }

// Font returns the parsed data of the face, parsed once per process. The
// Font is shared: callers must not change its fields.
func (f Face) Font() (*Font, error) {
	if !f.valid() {
		return nil, errUnknownFace
	}
	c := f.load()
	return c.font, c.err
}

// TTF returns the face as a standalone TrueType file. The slice is shared
// and must not be modified. It returns nil only if the embedded data is
// damaged, which the tests rule out.
func (f Face) TTF() []byte {
	if !f.valid() {
		return nil
	}
	c := &faces[f]
	c.ttfOnce.Do(func() {
		if i := collectionIndex[f]; i >= 0 {
			c.ttf, _ = Extract(collection, i)
		} else {
			c.ttf = dejaVuSans
		}
	})
	return c.ttf
}

// Err returns the error met while reading the face, or nil.
func (f Face) Err() error {
	if !f.valid() {
		return errUnknownFace
	}
	return f.load().err
}

// Has reports whether the face maps r to a glyph other than the
// missing-glyph symbol.
func (f Face) Has(r rune) bool {
	if !f.valid() {
		return false
	}
	c := f.load()
	return c.font != nil && c.font.Glyph(r) != 0
}

// Names returns the family and full names the face declares.
func (f Face) Names() Names {
	if !f.valid() {
		return Names{}
	}
	return f.load().names
}

// Sans returns the proportional face as a standalone TrueType file; see
// Face.TTF.
func Sans() []byte { return SansFace.TTF() }

// Mono returns the monospaced face as a standalone TrueType file; see
// Face.TTF.
func Mono() []byte { return MonoFace.TTF() }
