package ooxmltest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// Check opens the package data and reports the first problem: a zip that
// does not open, a part that is not well-formed XML, a part without a
// content type or a relationship whose target is missing. It returns the
// parts by name.
func Check(data []byte) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("open zip: %w", err)
	}
	parts := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Name, err)
		}
		if _, dup := parts[f.Name]; dup {
			return nil, fmt.Errorf("duplicate part %s", f.Name)
		}
		parts[f.Name] = b
		names = append(names, f.Name)
	}
	for _, n := range names {
		if err := WellFormed(parts[n]); err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
	}
	types, err := contentTypes(parts["[Content_Types].xml"])
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if n == "[Content_Types].xml" {
			continue
		}
		if types.override["/"+n] == "" && types.def[strings.ToLower(path.Ext(n))] == "" {
			return nil, fmt.Errorf("part %s has no content type", n)
		}
	}
	for o := range types.override {
		if _, ok := parts[strings.TrimPrefix(o, "/")]; !ok {
			return nil, fmt.Errorf("content type for missing part %s", o)
		}
	}
	for _, n := range names {
		if !strings.HasSuffix(n, ".rels") {
			continue
		}
		if err := checkRels(n, parts); err != nil {
			return nil, err
		}
	}
	return parts, nil
}

// WellFormed reports whether data is one well-formed XML document.
func WellFormed(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	roots := 0
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 {
		return fmt.Errorf("%d root elements", roots)
	}
	return nil
}

type typeMap struct {
	def      map[string]string
	override map[string]string
}

func contentTypes(data []byte) (typeMap, error) {
	var ct struct {
		Default []struct {
			Extension   string `xml:"Extension,attr"`
			ContentType string `xml:"ContentType,attr"`
		} `xml:"Default"`
		Override []struct {
			PartName    string `xml:"PartName,attr"`
			ContentType string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	if data == nil {
		return typeMap{}, errors.New("no [Content_Types].xml")
	}
	if err := xml.Unmarshal(data, &ct); err != nil {
		return typeMap{}, fmt.Errorf("parse content types: %w", err)
	}
	m := typeMap{def: map[string]string{}, override: map[string]string{}}
	for _, d := range ct.Default {
		m.def["."+strings.ToLower(d.Extension)] = d.ContentType
	}
	for _, o := range ct.Override {
		if m.override[o.PartName] != "" {
			return m, fmt.Errorf("two content types for %s", o.PartName)
		}
		m.override[o.PartName] = o.ContentType
	}
	return m, nil
}

func checkRels(name string, parts map[string][]byte) error {
	var rels struct {
		Rel []struct {
			ID         string `xml:"Id,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(parts[name], &rels); err != nil {
		return fmt.Errorf("parse %s: %w", name, err)
	}
	// The source of word/_rels/document.xml.rels is word/document.xml.
	dir := path.Dir(path.Dir(name))
	source := path.Join(dir, strings.TrimSuffix(path.Base(name), ".rels"))
	if dir != "." {
		if _, ok := parts[source]; !ok {
			return fmt.Errorf("%s: source part %s is missing", name, source)
		}
	}
	ids := map[string]bool{}
	for _, r := range rels.Rel {
		if ids[r.ID] {
			return fmt.Errorf("%s: duplicate id %s", name, r.ID)
		}
		ids[r.ID] = true
		if r.TargetMode == "External" {
			continue
		}
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(dir, t)
		}
		if _, ok := parts[t]; !ok {
			return fmt.Errorf("%s: %s points to missing %s", name, r.ID, t)
		}
	}
	return nil
}

// RelIDs returns the relationship ids of the relationships part data.
func RelIDs(data []byte) (map[string]bool, error) {
	var rels struct {
		Rel []struct {
			ID string `xml:"Id,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(data, &rels); err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, r := range rels.Rel {
		ids[r.ID] = true
	}
	return ids, nil
}

// Text returns the character data of the elements named local (such as
// "t") in the XML data, one string per element.
func Text(data []byte, local string) []string {
	d := xml.NewDecoder(bytes.NewReader(data))
	var out []string
	in := false
	var cur strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == local {
				in = true
				cur.Reset()
			}
		case xml.EndElement:
			if t.Name.Local == local && in {
				in = false
				out = append(out, cur.String())
			}
		case xml.CharData:
			if in {
				cur.Write(t)
			}
		}
	}
}
