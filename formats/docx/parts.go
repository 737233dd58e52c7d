package docx

import (
	"strings"

	"lessonexport/formats/ooxml"
)

// Fonts. Word on a Chinese Windows has all of these except the monospaced
// face, for which the font table names NSimSun (新宋体), a fixed-pitch face
// with half-width Latin and full-width Chinese, as the alternative.
// LibreOffice substitutes Liberation Sans for Arial and its own Chinese face
// (such as WenQuanYi or Noto Sans CJK) for Microsoft YaHei.
const (
	fontLatin = "Arial"
	fontEA    = "Microsoft YaHei"
	fontMono  = "WenQuanYi Micro Hei Mono"
	fontAlt   = "NSimSun"
)

// Page geometry in twentieths of a point: A4 with 2.54 cm margins.
const (
	pageW     = 11906
	pageH     = 16838
	margin    = 1440
	textWidth = pageW - 2*margin
)

const (
	nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

	ctMain = "application/vnd.openxmlformats-officedocument.wordprocessingml." +
		"document.main+xml"
	ctStyles    = "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"
	ctSettings  = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
	ctNumbering = "application/vnd.openxmlformats-officedocument.wordprocessingml." +
		"numbering+xml"
	ctFontTable = "application/vnd.openxmlformats-officedocument.wordprocessingml." +
		"fontTable+xml"
	ctFooter = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"

	relBase      = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	relStyles    = relBase + "styles"
	relSettings  = relBase + "settings"
	relNumbering = relBase + "numbering"
	relFontTable = relBase + "fontTable"
	relFooter    = relBase + "footer"
)

// rFonts returns the run fonts element for text (mono false) or code.
func rFonts(mono bool) string {
	if mono {
		return `<w:rFonts w:ascii="` + fontMono + `" w:hAnsi="` + fontMono +
			`" w:eastAsia="` + fontMono + `" w:cs="` + fontMono + `"/>`
	}
	return `<w:rFonts w:ascii="` + fontLatin + `" w:hAnsi="` + fontLatin +
		`" w:eastAsia="` + fontEA + `" w:cs="` + fontLatin + `"/>`
}

// langEl returns the language element for the document language lang.
func langEl(lang string) string {
	return `<w:lang w:val="` + ooxml.Escape(lang) + `" w:eastAsia="zh-CN" w:bidi="ar-SA"/>`
}

// stylesXML returns word/styles.xml.
func stylesXML(lang string) string {
	var b strings.Builder
	b.WriteString(`<w:styles xmlns:w="` + nsW + `">`)
	b.WriteString(`<w:docDefaults><w:rPrDefault><w:rPr>` + rFonts(false) +
		`<w:sz w:val="21"/><w:szCs w:val="21"/>` + langEl(lang) +
		`</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>` +
		`<w:spacing w:after="120" w:line="300" w:lineRule="auto"/>` +
		`</w:pPr></w:pPrDefault></w:docDefaults>`)

	para := func(id, name, basedOn, next string, ppr, rpr string) {
		b.WriteString(`<w:style w:type="paragraph"`)
		if id == "Normal" {
			b.WriteString(` w:default="1"`)
		}
		b.WriteString(` w:styleId="` + id + `"><w:name w:val="` + name + `"/>`)
		if basedOn != "" {
			b.WriteString(`<w:basedOn w:val="` + basedOn + `"/>`)
		}
		if next != "" {
			b.WriteString(`<w:next w:val="` + next + `"/>`)
		}
		b.WriteString(`<w:qFormat/>`)
		if ppr != "" {
			b.WriteString(`<w:pPr>` + ppr + `</w:pPr>`)
		}
		b.WriteString(`<w:rPr>` + rpr + `</w:rPr></w:style>`)
	}
	sans := rFonts(false)
	mono := rFonts(true)
	para("Normal", "Normal", "", "", "", sans+langEl(lang))
	para("Title", "Title", "Normal", "Normal",
		`<w:keepNext/><w:spacing w:before="240" w:after="360" w:line="240" w:lineRule="auto"/>`+
			`<w:jc w:val="center"/><w:outlineLvl w:val="0"/>`,
		sans+`<w:b/><w:bCs/><w:color w:val="1F3864"/><w:kern w:val="28"/>`+
			`<w:sz w:val="40"/><w:szCs w:val="40"/>`)
	heading := func(n int, size, before string) {
		id := "Heading" + string(rune('0'+n))
		para(id, "heading "+string(rune('0'+n)), "Normal", "Normal",
			`<w:keepNext/><w:keepLines/><w:spacing w:before="`+before+
				`" w:after="120" w:line="264" w:lineRule="auto"/><w:outlineLvl w:val="`+
				string(rune('0'+n-1))+`"/>`,
			sans+`<w:b/><w:bCs/><w:color w:val="1F3864"/><w:sz w:val="`+size+
				`"/><w:szCs w:val="`+size+`"/>`)
	}
	heading(1, "32", "360")
	heading(2, "28", "240")
	heading(3, "24", "200")
	para("Quote", "Quote", "Normal", "Normal",
		`<w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="A5A5A5"/></w:pBdr>`+
			`<w:ind w:left="567" w:right="567"/>`,
		sans+`<w:color w:val="404040"/>`)
	para("Note", "Note", "Normal", "Normal",
		`<w:pBdr><w:left w:val="single" w:sz="18" w:space="8" w:color="E0A030"/></w:pBdr>`+
			`<w:shd w:val="clear" w:color="auto" w:fill="FFF6E0"/><w:ind w:left="284"/>`,
		sans+`<w:color w:val="5A4A2A"/><w:sz w:val="19"/><w:szCs w:val="19"/>`)
	noAutoSpace := `<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>`
	para("Code", "Code", "Normal", "",
		`<w:shd w:val="clear" w:color="auto" w:fill="F4F4F4"/>`+noAutoSpace+
			`<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:left="113"/>`,
		mono+`<w:noProof/><w:sz w:val="19"/><w:szCs w:val="19"/>`)
	para("Board", "Board", "Code", "",
		`<w:shd w:val="clear" w:color="auto" w:fill="FFFFFF"/>`+noAutoSpace+
			`<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:left="113"/>`,
		mono+`<w:noProof/><w:sz w:val="21"/><w:szCs w:val="21"/>`)
	para("ListParagraph", "List Paragraph", "Normal", "",
		`<w:spacing w:after="60"/><w:ind w:left="420"/>`, sans)
	para("TableText", "Table Text", "Normal", "",
		`<w:spacing w:before="20" w:after="20" w:line="264" w:lineRule="auto"/>`, sans)
	para("Footer", "footer", "Normal", "",
		`<w:spacing w:after="0"/><w:jc w:val="center"/>`,
		sans+`<w:color w:val="7F7F7F"/><w:sz w:val="18"/><w:szCs w:val="18"/>`)

	b.WriteString(`<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">` +
		`<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/>` +
		`<w:semiHidden/><w:unhideWhenUsed/></w:style>`)
	b.WriteString(`<w:style w:type="character" w:styleId="CodeChar"><w:name w:val="Code Char"/>` +
		`<w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/><w:rPr>` + mono +
		`<w:color w:val="A31515"/><w:shd w:val="clear" w:color="auto" w:fill="F4F4F4"/>` +
		`</w:rPr></w:style>`)
	b.WriteString(`<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>` +
		`<w:basedOn w:val="DefaultParagraphFont"/><w:unhideWhenUsed/><w:rPr>` +
		`<w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>`)

	border := func(side string) string {
		return `<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="808080"/>`
	}
	borders := border("top") + border("left") + border("bottom") + border("right") +
		border("insideH") + border("insideV")
	b.WriteString(`<w:style w:type="table" w:default="1" w:styleId="TableNormal">` +
		`<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>` +
		`<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>` +
		`<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>` +
		`<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>` +
		`</w:tblCellMar></w:tblPr></w:style>`)
	b.WriteString(`<w:style w:type="table" w:styleId="LessonTable">` +
		`<w:name w:val="Lesson Table"/><w:basedOn w:val="TableNormal"/><w:qFormat/>` +
		`<w:pPr><w:spacing w:before="20" w:after="20" w:line="264" w:lineRule="auto"/></w:pPr>` +
		`<w:tblPr><w:tblBorders>` + borders + `</w:tblBorders><w:tblCellMar>` +
		`<w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>` +
		`<w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>` +
		`</w:tblCellMar></w:tblPr>` +
		`<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>` +
		`<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/></w:tcPr>` +
		`</w:tblStylePr></w:style>`)
	b.WriteString(`</w:styles>`)
	return b.String()
}

// settingsXML returns word/settings.xml.
func settingsXML(lang string) string {
	return `<w:settings xmlns:w="` + nsW + `"><w:zoom w:percent="100"/>` +
		`<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="doNotCompress"/>` +
		`<w:compat><w:compatSetting w:name="compatibilityMode" ` +
		`w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>` +
		`<w:themeFontLang w:val="` + ooxml.Escape(lang) + `" w:eastAsia="zh-CN"/>` +
		`<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>`
}

// fontTableXML returns word/fontTable.xml, which tells Word what kind of
// face each font is so that it substitutes a similar one when missing.
func fontTableXML() string {
	font := func(name, alt, charset, family, pitch string) string {
		s := `<w:font w:name="` + name + `">`
		if alt != "" {
			s += `<w:altName w:val="` + alt + `"/>`
		}
		return s + `<w:charset w:val="` + charset + `"/><w:family w:val="` + family +
			`"/><w:pitch w:val="` + pitch + `"/></w:font>`
	}
	return `<w:fonts xmlns:w="` + nsW + `">` +
		font(fontLatin, "", "00", "swiss", "variable") +
		font(fontEA, "微软雅黑", "86", "swiss", "variable") +
		font(fontMono, fontAlt, "86", "modern", "fixed") +
		font(fontAlt, "新宋体", "86", "modern", "fixed") +
		`</w:fonts>`
}

// footerXML returns word/footer1.xml: the page number, centred.
func footerXML() string {
	r := func(inner string) string {
		return `<w:r><w:rPr>` + rFonts(false) + `</w:rPr>` + inner + `</w:r>`
	}
	return `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"><w:p><w:pPr>` +
		`<w:pStyle w:val="Footer"/></w:pPr>` +
		r(`<w:fldChar w:fldCharType="begin"/>`) +
		r(`<w:instrText xml:space="preserve"> PAGE </w:instrText>`) +
		r(`<w:fldChar w:fldCharType="separate"/>`) +
		r(`<w:t>1</w:t>`) +
		r(`<w:fldChar w:fldCharType="end"/>`) +
		`</w:p></w:ftr>`
}

// numbering levels: a bullet cycle and a number format cycle.
var (
	bullets    = []string{"•", "◦", "▪"}
	numFormats = []string{"decimal"}
)

// maxLevel is the deepest list level Word numbers (0-based).
const maxLevel = 8

// numberingXML returns word/numbering.xml with abstract numbering 0
// (bullets) and 1 (numbers), the bullet instance 1 and one instance per
// ordered list in nums.
func numberingXML(nums []numInst) string {
	var b strings.Builder
	b.WriteString(`<w:numbering xmlns:w="` + nsW + `">`)
	lvl := func(i int, format, text string) {
		ind := 420 * (i + 1)
		b.WriteString(`<w:lvl w:ilvl="` + itoa(i) + `"><w:start w:val="1"/><w:numFmt w:val="` +
			format + `"/><w:lvlText w:val="` + text + `"/><w:lvlJc w:val="left"/>` +
			`<w:pPr><w:ind w:left="` + itoa(ind) + `" w:hanging="420"/></w:pPr>`)
		if format == "bullet" {
			b.WriteString(`<w:rPr><w:rFonts w:ascii="` + fontLatin + `" w:hAnsi="` +
				fontLatin + `" w:eastAsia="` + fontEA + `" w:hint="default"/></w:rPr>`)
		}
		b.WriteString(`</w:lvl>`)
	}
	b.WriteString(`<w:abstractNum w:abstractNumId="0"><w:nsid w:val="4C455830"/>` +
		`<w:multiLevelType w:val="hybridMultilevel"/>`)
	for i := 0; i <= maxLevel; i++ {
		lvl(i, "bullet", bullets[i%len(bullets)])
	}
	b.WriteString(`</w:abstractNum>`)
	b.WriteString(`<w:abstractNum w:abstractNumId="1"><w:nsid w:val="4C455831"/>` +
		`<w:multiLevelType w:val="hybridMultilevel"/>`)
	for i := 0; i <= maxLevel; i++ {
		lvl(i, numFormats[i%len(numFormats)], "%"+itoa(i+1)+".")
	}
	b.WriteString(`</w:abstractNum>`)
	b.WriteString(`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`)
	for i, n := range nums {
		b.WriteString(`<w:num w:numId="` + itoa(i+2) + `"><w:abstractNumId w:val="1"/>` +
			`<w:lvlOverride w:ilvl="` + itoa(n.level) + `"><w:startOverride w:val="` +
			itoa(n.start) + `"/></w:lvlOverride></w:num>`)
	}
	b.WriteString(`</w:numbering>`)
	return b.String()
}
