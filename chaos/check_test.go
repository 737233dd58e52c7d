//go:build chaos

package chaos

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"lessonexport/exports"
)

// bigLesson is a lesson plan of n procedure stages, each with a paragraph of
// English and Chinese, as a JSON body; its documents grow with n.
func bigLesson(title string, n int) []byte {
	stages := make([]map[string]any, n)
	for i := range stages {
		stages[i] = map[string]any{
			"name":    fmt.Sprintf("Stage %d 第%d步", i+1, i+1),
			"minutes": 5,
			"teacher": fmt.Sprintf("老师讲解第%d部分。 %s", i+1,
				strings.Repeat(fmt.Sprintf("The teacher explains part %d of the weather words. ", i), 20)),
			"students": fmt.Sprintf("学生两人一组练习。 %s",
				strings.Repeat(fmt.Sprintf("Students practise dialogue %d in pairs. ", i), 20)),
		}
	}
	data, _ := json.Marshal(map[string]any{"title": title, "level": "A2", "language": "zh-CN",
		"procedure": stages})
	return data
}

// checkDocument returns an error unless data is a whole, well-formed
// document of the format.
func checkDocument(format string, data []byte) error {
	switch format {
	case "word", "pptx":
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return fmt.Errorf("%s: not a zip: %w", format, err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				return fmt.Errorf("%s: open %s: %w", format, f.Name, err)
			}
			if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels") {
				dec := xml.NewDecoder(rc)
				for {
					_, err := dec.Token()
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						rc.Close()
						return fmt.Errorf("%s: %s is not well-formed XML: %w", format, f.Name, err)
					}
				}
			} else if _, err := io.Copy(io.Discard, rc); err != nil {
				rc.Close()
				return fmt.Errorf("%s: read %s: %w", format, f.Name, err)
			}
			rc.Close()
		}
	case "pdf":
		if !bytes.HasPrefix(data, []byte("%PDF-")) {
			return fmt.Errorf("pdf: starts with %q", data[:min(len(data), 8)])
		}
		if !bytes.Contains(data[max(0, len(data)-64):], []byte("%%EOF")) {
			return errors.New("pdf: no %%EOF at the end")
		}
	case "markdown":
		if !utf8.Valid(data) || len(data) == 0 {
			return errors.New("markdown: empty or not UTF-8")
		}
	default:
		return fmt.Errorf("unknown format %s", format)
	}
	return nil
}

// checkDownload downloads a completed export and returns an error unless
// the file is whole: its size and SHA-256 are the export's, and it is a
// well-formed document.
func (c *cluster) checkDownload(user string, e exports.Export) error {
	r, err := c.try(user, "GET", e.DownloadURL, "", nil)
	if err != nil {
		return err
	}
	if r.status != http.StatusOK {
		return fmt.Errorf("download %s = %d: %.200s", e.ID, r.status, r.body)
	}
	if int64(len(r.body)) != e.FileSize {
		return fmt.Errorf("download %s: %d bytes, the export says %d", e.ID, len(r.body), e.FileSize)
	}
	sum := sha256.Sum256(r.body)
	if hex.EncodeToString(sum[:]) != e.SHA256 {
		return fmt.Errorf("download %s: the SHA-256 is not the export's", e.ID)
	}
	return checkDocument(e.Format, r.body)
}

// storedFiles lists the regular files under the data folder's files
// directory, as slash paths relative to it.
func (c *cluster) storedFiles() []string {
	var out []string
	root := filepath.Join(c.dataDir, "files")
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	return out
}
