package ooxml

import (
	"strings"
	"time"

	"lessonexport/document"
)

// Application is the name written as the producing application.
const Application = "lessonexport"

// W3CDTF formats t as the core properties want it, in UTC.
func W3CDTF(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// CoreXML returns docProps/core.xml for m: title, subject, creator,
// keywords, language and, when m.Created is set, the creation and
// modification times.
func CoreXML(m document.Meta) string {
	var b strings.Builder
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/` +
		`2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ` +
		`xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/` +
		`dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	elem := func(name, v string) {
		v = strings.TrimSpace(Clean(v))
		if v != "" {
			b.WriteString("<" + name + ">" + Escape(v) + "</" + name + ">")
		}
	}
	elem("dc:title", m.Title)
	elem("dc:subject", m.Subject)
	elem("dc:creator", m.Author)
	var kw []string
	for _, k := range m.Keywords {
		if k = strings.TrimSpace(Clean(k)); k != "" {
			kw = append(kw, k)
		}
	}
	elem("cp:keywords", strings.Join(kw, ", "))
	if m.Language != "" {
		elem("dc:language", Lang(m.Language))
	}
	elem("cp:lastModifiedBy", m.Author)
	if !m.Created.IsZero() {
		t := W3CDTF(m.Created)
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + t + `</dcterms:created>`)
		b.WriteString(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + t + `</dcterms:modified>`)
	}
	b.WriteString(`</cp:coreProperties>`)
	return b.String()
}

// AppXML returns docProps/app.xml naming the application; extra is raw XML
// placed after the application name, such as a slide count.
func AppXML(extra string) string {
	return `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/` +
		`extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/` +
		`2006/docPropsVTypes"><Application>` + Application + `</Application>` + extra +
		`<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>` +
		`<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>` +
		`<HyperlinksChanged>false</HyperlinksChanged><AppVersion>16.0000</AppVersion>` +
		`</Properties>`
}

// WriteProps writes docProps/core.xml and docProps/app.xml.
func (p *Package) WriteProps(m document.Meta, appExtra string) error {
	if err := p.WritePart("docProps/core.xml", TypeCore, CoreXML(m)); err != nil {
		return err
	}
	return p.WritePart("docProps/app.xml", TypeApp, AppXML(appExtra))
}

// RootRels returns the package relationships: the main part at mainPart
// (officeDocument) and the two property parts.
func RootRels(mainPart string) *Rels {
	r := &Rels{}
	r.Add(RelOfficeDocument, mainPart, false)
	r.Add(RelCore, "docProps/core.xml", false)
	r.Add(RelApp, "docProps/app.xml", false)
	return r
}
