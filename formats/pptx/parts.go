package pptx

import (
	"strconv"
	"strings"

	"lessonexport/formats/ooxml"
)

// Fonts. PowerPoint on a Chinese Windows has Arial and Microsoft YaHei; the
// monospaced face carries a fixed-pitch, GB2312 hint so that PowerPoint
// picks a similar face (such as NSimSun) where it is missing. LibreOffice
// substitutes Liberation Sans for Arial and its own Chinese face for
// Microsoft YaHei.
const (
	fontLatin = "Arial"
	fontEA    = "Microsoft YaHei"
	fontMono  = "WenQuanYi Micro Hei Mono"
)

// Slide geometry in EMU (914400 to the inch, 12700 to the point): 16:9.
const (
	emuPt  = 12700
	slideW = 12192000
	slideH = 6858000
	notesW = 6858000
	notesH = 9144000
)

const (
	nsA = "http://schemas.openxmlformats.org/drawingml/2006/main"
	nsR = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsP = "http://schemas.openxmlformats.org/presentationml/2006/main"
	ns  = `xmlns:a="` + nsA + `" xmlns:r="` + nsR + `" xmlns:p="` + nsP + `"`

	ctPML          = "application/vnd.openxmlformats-officedocument.presentationml."
	ctPresentation = ctPML + "presentation.main+xml"
	ctMaster       = ctPML + "slideMaster+xml"
	ctLayout       = ctPML + "slideLayout+xml"
	ctSlide        = ctPML + "slide+xml"
	ctNotesMaster  = ctPML + "notesMaster+xml"
	ctNotesSlide   = ctPML + "notesSlide+xml"
	ctPresProps    = ctPML + "presProps+xml"
	ctViewProps    = ctPML + "viewProps+xml"
	ctTableStyles  = ctPML + "tableStyles+xml"
	ctTheme        = "application/vnd.openxmlformats-officedocument.theme+xml"

	relBase        = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	relMaster      = relBase + "slideMaster"
	relLayout      = relBase + "slideLayout"
	relSlide       = relBase + "slide"
	relNotesMaster = relBase + "notesMaster"
	relNotesSlide  = relBase + "notesSlide"
	relPresProps   = relBase + "presProps"
	relViewProps   = relBase + "viewProps"
	relTableStyles = relBase + "tableStyles"
)

// Colours.
const (
	colText   = "262626"
	colTitle  = "1F3864"
	colMuted  = "7F7F7F"
	colQuote  = "595959"
	colBorder = "8C8C8C"
	colHead   = "D9E2F3"
	colLabel  = "EDEDED"
	colCode   = "F4F4F4"
	colLink   = "0563C1"
	colAccent = "2F5597"
)

func itoa(i int) string { return strconv.Itoa(i) }

// fonts returns the latin, ea and cs elements for text or code.
func fonts(mono bool) string {
	if mono {
		return `<a:latin typeface="` + fontMono + `" pitchFamily="49" charset="-122"/>` +
			`<a:ea typeface="` + fontMono + `" pitchFamily="49" charset="-122"/>` +
			`<a:cs typeface="` + fontMono + `" pitchFamily="49" charset="-122"/>`
	}
	return `<a:latin typeface="` + fontLatin + `" pitchFamily="34" charset="0"/>` +
		`<a:ea typeface="` + fontEA + `" pitchFamily="34" charset="-122"/>` +
		`<a:cs typeface="` + fontLatin + `" pitchFamily="34" charset="0"/>`
}

func solid(color string) string {
	return `<a:solidFill><a:srgbClr val="` + color + `"/></a:solidFill>`
}

// xfrm returns an a:xfrm element in EMU.
func xfrm(x, y, cx, cy int) string {
	return `<a:xfrm><a:off x="` + itoa(x) + `" y="` + itoa(y) + `"/><a:ext cx="` + itoa(cx) +
		`" cy="` + itoa(cy) + `"/></a:xfrm>`
}

const groupProps = `<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/>` +
	`</p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>` +
	`<a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>`

// placeholder returns a placeholder shape for masters and layouts.
func placeholder(id int, name, ph string, x, y, cx, cy int, body string) string {
	if body == "" {
		body = `<a:p><a:endParaRPr lang="en-US"/></a:p>`
	}
	return `<p:sp><p:nvSpPr><p:cNvPr id="` + itoa(id) + `" name="` + name + `"/>` +
		`<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>` + ph + `</p:nvPr></p:nvSpPr>` +
		`<p:spPr>` + xfrm(x, y, cx, cy) + `<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>` +
		`</p:spPr><p:txBody><a:bodyPr/><a:lstStyle/>` + body + `</p:txBody></p:sp>`
}

// levelStyles returns lvl1pPr..lvl9pPr for a master text style.
func levelStyles(size int, color string, bullets bool) string {
	var b strings.Builder
	for i := 1; i <= 9; i++ {
		marL := 0
		indent := 0
		bu := `<a:buNone/>`
		if bullets {
			marL = 285750 * i
			indent = -285750
			bu = `<a:buFont typeface="Arial" panose="020B0604020202020204"/><a:buChar char="•"/>`
		}
		sz := size
		if bullets && i > 1 {
			sz = max(size-200*(i-1), 1400)
		}
		b.WriteString(`<a:lvl` + itoa(i) + `pPr marL="` + itoa(marL) + `" indent="` +
			itoa(indent) + `" algn="l" defTabSz="914400" rtl="0" eaLnBrk="1" latinLnBrk="0" ` +
			`hangingPunct="1"><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>` +
			`<a:spcBef><a:spcPts val="600"/></a:spcBef>` + bu +
			`<a:defRPr sz="` + itoa(sz) + `" kern="1200">` + solid(color) +
			`<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/>` +
			`</a:defRPr></a:lvl` + itoa(i) + `pPr>`)
	}
	return b.String()
}

// themeXML returns a theme whose fonts are Arial and Microsoft YaHei.
func themeXML(name string) string {
	clr := func(n, v string) string {
		return `<a:` + n + `><a:srgbClr val="` + v + `"/></a:` + n + `>`
	}
	fontSet := `<a:latin typeface="` + fontLatin + `" panose="020B0604020202020204"/>` +
		`<a:ea typeface="` + fontEA + `"/><a:cs typeface=""/>` +
		`<a:font script="Hans" typeface="` + fontEA + `"/>`
	fill := func(lum string) string {
		return `<a:solidFill><a:schemeClr val="phClr">` + lum + `</a:schemeClr></a:solidFill>`
	}
	ln := func(w string) string {
		return `<a:ln w="` + w + `" cap="flat" cmpd="sng" algn="ctr"><a:solidFill>` +
			`<a:schemeClr val="phClr"/></a:solidFill><a:prstDash val="solid"/>` +
			`<a:miter lim="800000"/></a:ln>`
	}
	return `<a:theme xmlns:a="` + nsA + `" name="` + name + `"><a:themeElements>` +
		`<a:clrScheme name="Lesson">` +
		`<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1>` +
		`<a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>` +
		clr("dk2", "1F3864") + clr("lt2", "E7E6E6") + clr("accent1", "2F5597") +
		clr("accent2", "ED7D31") + clr("accent3", "A5A5A5") + clr("accent4", "FFC000") +
		clr("accent5", "5B9BD5") + clr("accent6", "70AD47") + clr("hlink", colLink) +
		clr("folHlink", "954F72") + `</a:clrScheme>` +
		`<a:fontScheme name="Lesson"><a:majorFont>` + fontSet + `</a:majorFont>` +
		`<a:minorFont>` + fontSet + `</a:minorFont></a:fontScheme>` +
		`<a:fmtScheme name="Lesson"><a:fillStyleLst>` +
		fill("") + fill(`<a:tint val="50000"/>`) + fill(`<a:shade val="80000"/>`) +
		`</a:fillStyleLst><a:lnStyleLst>` + ln("6350") + ln("12700") + ln("19050") +
		`</a:lnStyleLst><a:effectStyleLst>` +
		`<a:effectStyle><a:effectLst/></a:effectStyle>` +
		`<a:effectStyle><a:effectLst/></a:effectStyle>` +
		`<a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>` +
		`<a:bgFillStyleLst>` + fill("") + fill(`<a:tint val="95000"/>`) +
		fill(`<a:shade val="90000"/>`) + `</a:bgFillStyleLst></a:fmtScheme>` +
		`</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>`
}

const clrMap = `bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" ` +
	`accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" ` +
	`accent6="accent6" hlink="hlink" folHlink="folHlink"`

// Areas of the content slides in EMU.
const (
	marginX = 609600
	bodyW   = slideW - 2*marginX
	labelY  = 150000
	labelH  = 300000
	titleY  = 420000
	titleH  = 914400
	bodyY   = 1463040
	bodyB   = slideH - 457200
	bodyH   = bodyB - bodyY
)

// masterXML returns the slide master with the two layouts rId1 and rId2.
func masterXML() string {
	return `<p:sldMaster ` + ns + `><p:cSld><p:bg><p:bgRef idx="1001">` +
		`<a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>` + groupProps +
		placeholder(2, "Title Placeholder 1", `<p:ph type="title"/>`,
			marginX, titleY, bodyW, titleH, "") +
		placeholder(3, "Text Placeholder 2", `<p:ph type="body" idx="1"/>`,
			marginX, bodyY, bodyW, bodyH, "") +
		`</p:spTree></p:cSld><p:clrMap ` + clrMap + `/><p:sldLayoutIdLst>` +
		`<p:sldLayoutId id="2147483649" r:id="rId1"/>` +
		`<p:sldLayoutId id="2147483650" r:id="rId2"/></p:sldLayoutIdLst>` +
		`<p:txStyles><p:titleStyle>` + levelStyles(3200, colTitle, false) +
		`</p:titleStyle><p:bodyStyle>` + levelStyles(2000, colText, true) +
		`</p:bodyStyle><p:otherStyle>` + levelStyles(1800, colText, false) +
		`</p:otherStyle></p:txStyles></p:sldMaster>`
}

// Title slide areas in EMU.
const (
	coverTitleY = 1800000
	coverTitleH = 1700000
	coverSubY   = 3700000
	coverSubH   = 1000000
)

// layoutXML returns layout 1 (title slide) or 2 (title only).
func layoutXML(n int) string {
	var name, typ, shapes string
	if n == 1 {
		name, typ = "Title Slide", "title"
		shapes = placeholder(2, "Title 1", `<p:ph type="ctrTitle"/>`,
			marginX, coverTitleY, bodyW, coverTitleH, "") +
			placeholder(3, "Subtitle 2", `<p:ph type="subTitle" idx="1"/>`,
				marginX, coverSubY, bodyW, coverSubH, "")
	} else {
		name, typ = "Title Only", "titleOnly"
		shapes = placeholder(2, "Title 1", `<p:ph type="title"/>`,
			marginX, titleY, bodyW, titleH, "")
	}
	return `<p:sldLayout ` + ns + ` type="` + typ + `" preserve="1"><p:cSld name="` + name +
		`"><p:spTree>` + groupProps + shapes + `</p:spTree></p:cSld>` +
		`<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>`
}

// Notes page areas in EMU.
const (
	notesImgX  = 685800
	notesImgY  = 1143000
	notesImgW  = 5486400
	notesImgH  = 3086100
	notesBodyY = 4400550
	notesBodyH = 3600450
)

// notesMasterXML returns the notes master.
func notesMasterXML() string {
	img := `<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr>` +
		`<a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr>` +
		`<p:ph type="sldImg" idx="2"/></p:nvPr></p:nvSpPr><p:spPr>` +
		xfrm(notesImgX, notesImgY, notesImgW, notesImgH) +
		`<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln w="12700">` +
		solid("000000") + `</a:ln></p:spPr></p:sp>`
	return `<p:notesMaster ` + ns + `><p:cSld><p:bg><p:bgRef idx="1001">` +
		`<a:schemeClr val="bg1"/></p:bgRef></p:bg><p:spTree>` + groupProps + img +
		placeholder(3, "Notes Placeholder 2", `<p:ph type="body" sz="quarter" idx="3"/>`,
			notesImgX, notesBodyY, notesImgW, notesBodyH, "") +
		`</p:spTree></p:cSld><p:clrMap ` + clrMap + `/><p:notesStyle>` +
		levelStyles(1200, "000000", false) + `</p:notesStyle></p:notesMaster>`
}

// presPropsXML, viewPropsXML and tableStylesXML are the small parts
// PowerPoint expects beside presentation.xml.
const (
	presPropsXML = `<p:presentationPr ` + ns + `/>`
	viewPropsXML = `<p:viewPr ` + ns + `><p:normalViewPr><p:restoredLeft sz="15620"/>` +
		`<p:restoredTop sz="94660"/></p:normalViewPr><p:slideViewPr><p:cSldViewPr>` +
		`<p:cViewPr varScale="1"><p:scale><a:sx n="100" d="100"/><a:sy n="100" d="100"/>` +
		`</p:scale><p:origin x="0" y="0"/></p:cViewPr><p:guideLst/></p:cSldViewPr>` +
		`</p:slideViewPr><p:gridSpacing cx="72008" cy="72008"/></p:viewPr>`
	tableStylesXML = `<a:tblStyleLst xmlns:a="` + nsA +
		`" def="{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"/>`
)

// presentationXML returns ppt/presentation.xml for slides slide
// relationships starting at firstSlideRel.
func presentationXML(slides, firstSlideRel int) string {
	var b strings.Builder
	b.WriteString(`<p:presentation ` + ns + ` saveSubsetFonts="1"><p:sldMasterIdLst>` +
		`<p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>` +
		`<p:notesMasterIdLst><p:notesMasterId r:id="rId2"/></p:notesMasterIdLst><p:sldIdLst>`)
	for i := range slides {
		b.WriteString(`<p:sldId id="` + itoa(256+i) + `" r:id="rId` + itoa(firstSlideRel+i) +
			`"/>`)
	}
	b.WriteString(`</p:sldIdLst><p:sldSz cx="` + itoa(slideW) + `" cy="` + itoa(slideH) +
		`"/><p:notesSz cx="` + itoa(notesW) + `" cy="` + itoa(notesH) + `"/>` +
		`<p:defaultTextStyle>` + levelStyles(1800, colText, false) +
		`</p:defaultTextStyle></p:presentation>`)
	return b.String()
}

// escape is short for ooxml.Escape.
func escape(s string) string { return ooxml.Escape(s) }
