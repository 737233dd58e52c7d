package lesson

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// splitFrontMatter separates YAML front matter from the Markdown body. The
// front matter is a first line "---" and everything up to a closing line
// "---" or "..."; without a closing line the whole source is body.
func splitFrontMatter(src []byte) (yamlText, body []byte, ok bool) {
	first, rest, found := bytes.Cut(src, []byte{'\n'})
	if !found || strings.TrimRight(string(first), " \t") != "---" {
		return nil, src, false
	}
	off := len(first) + 1
	for len(rest) > 0 {
		l, r, _ := bytes.Cut(rest, []byte{'\n'})
		t := strings.TrimRight(string(l), " \t")
		if t == "---" || t == "..." {
			return src[len(first)+1 : off], r, true
		}
		off += len(l) + 1
		rest = r
	}
	return nil, src, false
}

// frontMatterKeys maps a normalised front matter key to the Plan field it
// fills.
var frontMatterKeys = map[string]string{
	"id": "id", "title": "title", "课题": "title", "标题": "title",
	"subject": "subject", "学科": "subject", "科目": "subject",
	"level": "level", "grade": "level", "年级": "level",
	"language": "language", "lang": "language",
	"textbook": "textbook", "教材": "textbook",
	"unit": "unit", "单元": "unit",
	"duration_minutes": "duration", "duration": "duration", "课时": "duration", "时长": "duration",
	"class_size": "class_size", "班级人数": "class_size", "人数": "class_size",
	"teacher": "teacher", "教师": "teacher", "授课教师": "teacher", "执教": "teacher",
	"school": "school", "学校": "school",
	"date": "date", "日期": "date",
	"tags": "tags", "标签": "tags", "keywords": "tags", "关键词": "tags",
}

// normKey lowers a key and turns spaces and hyphens into underscores, so that
// "Class size" and "class-size" both mean class_size.
func normKey(k string) string {
	k = strings.ToLower(strings.TrimSpace(k))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(k)
}

var (
	yamlLineRe  = regexp.MustCompile(`^yaml: line (\d+): `)
	durationRe  = regexp.MustCompile(`(?i)^(\d{1,6})\s*(minutes?|mins?|m|分钟|分|['’′])?$`)
	hoursRe     = regexp.MustCompile(`(?i)^(\d{1,3})\s*(hours?|hrs?|h|小时)$`)
	classSizeRe = regexp.MustCompile(
		`(?i)^(\d{1,9})\s*(students?|pupils?|learners?|人|名学生|名|个学生)?$`)
	listSplitter = regexp.MustCompile(`[,，、;；]`)
)

// dateLayouts are the ways of writing a date that front matter accepts; all
// become YYYY-MM-DD.
var dateLayouts = []string{
	"2006-01-02", "2006-1-2", "2006/1/2", "2006.1.2", "2006年1月2日", time.RFC3339,
	"2006-01-02 15:04", "2006-01-02 15:04:05",
}

// applyFrontMatter parses the YAML text and fills the plan. lineOff is the
// number of file lines before the YAML text, for messages. A YAML syntax
// error is returned as the only problem; other problems are collected.
func applyFrontMatter(p *Plan, text []byte, lineOff int) []Problem {
	var root yaml.Node
	if err := yaml.Unmarshal(text, &root); err != nil {
		return []Problem{yamlProblem(err, lineOff)}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil // empty front matter
	}
	m := root.Content[0]
	if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
		return nil
	}
	if m.Kind != yaml.MappingNode {
		return []Problem{{Message: fmt.Sprintf(
			"front matter line %d: front matter must be a list of key: value lines",
			m.Line+lineOff)}}
	}

	var probs []Problem
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key := nodeText(k, 0)
		line := k.Line + lineOff
		field, known := frontMatterKeys[normKey(key)]
		if !known {
			p.Metadata = append(p.Metadata, Field{Name: key, Value: nodeText(v, 0)})
			continue
		}
		if isNull(v) {
			continue
		}
		val := strings.TrimSpace(nodeText(v, 0))
		switch field {
		case "id":
			p.ID = val
		case "title":
			p.Title = val
		case "subject":
			p.Subject = val
		case "level":
			p.Level = val
		case "language":
			p.Language = val
		case "textbook":
			p.Textbook = val
		case "unit":
			p.Unit = val
		case "teacher":
			p.Teacher = val
		case "school":
			p.School = val
		case "duration":
			n, ok := parseDuration(val)
			switch {
			case !ok:
				probs = append(probs, Problem{Path: "/duration_minutes", Message: fmt.Sprintf(
					"front matter line %d: %s must be a number of minutes, such as 45 or "+
						"\"45 minutes\", not %q", line, key, clip(val))})
			case n < 1 || n > 1440:
				probs = append(probs, Problem{Path: "/duration_minutes", Message: fmt.Sprintf(
					"front matter line %d: %s must be between 1 and 1440 minutes", line, key)})
			default:
				p.DurationMinutes = n
			}
		case "class_size":
			m := classSizeRe.FindStringSubmatch(val)
			n := 0
			if m != nil {
				n, _ = strconv.Atoi(m[1])
			}
			if n < 1 {
				probs = append(probs, Problem{Path: "/class_size", Message: fmt.Sprintf(
					"front matter line %d: %s must be a whole number of students, at least 1, "+
						"not %q", line, key, clip(val))})
			} else {
				p.ClassSize = n
			}
		case "date":
			d, ok := parseDate(val)
			if !ok {
				probs = append(probs, Problem{Path: "/date", Message: fmt.Sprintf(
					"front matter line %d: %s must be a date written as YYYY-MM-DD, such as "+
						"2026-09-15, not %q", line, key, clip(val))})
			} else {
				p.Date = d
			}
		case "tags":
			p.Tags = append(p.Tags, nodeList(v)...)
		}
	}
	return probs
}

// yamlProblem words a YAML syntax error with the line of the file it is on.
// The YAML parser sometimes names the line where the broken construct began
// rather than where it broke, hence "near".
func yamlProblem(err error, lineOff int) Problem {
	msg := err.Error()
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Problem{Message: fmt.Sprintf("front matter near line %d: invalid YAML: %s",
			n+lineOff, msg[len(m[0]):])}
	}
	return Problem{Message: "front matter: invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

func parseDuration(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if m := durationRe.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		return n, err == nil
	}
	if m := hoursRe.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		return n * 60, err == nil
	}
	return 0, false
}

func parseDate(s string) (string, bool) {
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format("2006-01-02"), true
		}
	}
	return "", false
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	r := []rune(s)
	if len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// maxNodeText bounds the text rendered from one front matter value, so that
// YAML aliases cannot blow a small file up into a huge plan.
const maxNodeText = 64 << 10

// nodeText renders a YAML value as text: a scalar as written, a list joined
// with ", ", a mapping as "key: value" pairs joined with ", ".
func nodeText(n *yaml.Node, depth int) string {
	var b strings.Builder
	writeNodeText(&b, n, depth)
	return b.String()
}

func writeNodeText(b *strings.Builder, n *yaml.Node, depth int) {
	if n == nil || depth > 20 || b.Len() > maxNodeText {
		return
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			writeNodeText(b, c, depth+1)
		}
	case yaml.ScalarNode:
		if n.Tag != "!!null" {
			b.WriteString(n.Value)
		}
	case yaml.AliasNode:
		writeNodeText(b, n.Alias, depth+1)
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if i > 0 {
				b.WriteString(", ")
			}
			writeNodeText(b, c, depth+1)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteString(", ")
			}
			writeNodeText(b, n.Content[i], depth+1)
			b.WriteString(": ")
			writeNodeText(b, n.Content[i+1], depth+1)
		}
	}
}

// nodeList reads tags: a YAML list gives one tag per entry, a string is split
// at commas (also "，", "、" and semicolons).
func nodeList(n *yaml.Node) []string {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	var parts []string
	if n.Kind == yaml.SequenceNode {
		for _, c := range n.Content {
			parts = append(parts, nodeText(c, 1))
		}
	} else {
		parts = listSplitter.Split(nodeText(n, 0), -1)
	}
	var out []string
	for _, t := range parts {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}
