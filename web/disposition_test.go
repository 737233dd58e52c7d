package web

import (
	"mime"
	"net/url"
	"strings"
	"testing"
)

func TestContentDispositionIsSafeForAnyName(t *testing.T) {
	cases := []struct{ name, ascii string }{
		{"Unit 3 My Family_A1.docx", "Unit 3 My Family_A1.docx"},
		{"我的家人_七年级.pdf", "document.pdf"},
		{"Unit 3 我的家人.pptx", "Unit 3.pptx"},
		{`a"b\c;d,e.md`, "a_b_c_d_e.md"},
		{"evil\r\nSet-Cookie: x=1.pdf", "evil_Set-Cookie: x=1.pdf"},
		{"../../etc/passwd", "etc_passwd"},
	}
	for _, tc := range cases {
		h := ContentDisposition(tc.name)
		if strings.ContainsAny(h, "\r\n") {
			t.Fatalf("%q: header holds a line break: %q", tc.name, h)
		}
		for _, r := range h {
			if r >= 0x80 {
				t.Fatalf("%q: header is not ASCII: %q", tc.name, h)
			}
		}
		_, params, err := mime.ParseMediaType(h)
		if err != nil {
			t.Fatalf("%q: %q does not parse: %v", tc.name, h, err)
		}
		// mime decodes filename* into filename.
		if params["filename"] != tc.name {
			t.Errorf("%q: decoded name %q", tc.name, params["filename"])
		}
		i := strings.Index(h, "filename*=UTF-8''")
		raw, _ := url.PathUnescape(h[i+len("filename*=UTF-8''"):])
		if raw != tc.name {
			t.Errorf("%q: filename* holds %q", tc.name, raw)
		}
		start := strings.Index(h, `filename="`) + len(`filename="`)
		ascii := h[start : start+strings.Index(h[start:], `"`)]
		if ascii != tc.ascii {
			t.Errorf("%q: ASCII fallback %q, want %q", tc.name, ascii, tc.ascii)
		}
	}
}

func TestContentDispositionFallbackReadsWell(t *testing.T) {
	h := ContentDisposition("Unit 3 My Family 我的家人_A1 七年级上册.docx")
	if !strings.Contains(h, `filename="Unit 3 My Family A1.docx"`) {
		t.Fatalf("header = %s", h)
	}
}
