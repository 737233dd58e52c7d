package fonts

import (
	_ "embed"
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

// face is what is computed once per Face.
type face struct {
	once  sync.Once
	ttf   []byte
	cover *coverage
	names Names
	err   error
}

var faces [len(collectionIndex)]face

func (f Face) load() *face {
	c := &faces[f]
	c.once.Do(func() {
		if i := collectionIndex[f]; i >= 0 {
			c.ttf, c.err = Extract(collection, i)
		} else {
			c.ttf = dejaVuSans
			_, _, c.err = readDirectory(c.ttf, 0)
		}
		if c.err != nil {
			return
		}
		c.cover, c.err = parseCmap(c.ttf)
		if c.err != nil {
			return
		}
		c.names, c.err = ReadNames(c.ttf)
	})
	return c
}

// valid reports whether f is one of the declared faces.
func (f Face) valid() bool { return f >= 0 && int(f) < len(collectionIndex) }

// TTF returns the face as a standalone TrueType file. The slice is shared
// and must not be modified; code that writes into the font data it is
// given, as fpdf does, must get a copy. It returns nil only if the embedded
// data is damaged, which the tests rule out.
func (f Face) TTF() []byte {
	if !f.valid() {
		return nil
	}
	return f.load().ttf
}

// Err returns the error met while extracting the face, or nil.
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
	return c.cover.has(r)
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
