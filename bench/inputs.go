package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"lessonexport/formats"
	"lessonexport/lesson"
)

// input is one lesson plan, as the file the service reads and as Markdown
// for the tools that read only Markdown.
type input struct {
	name string
	// file is what lessonexport convert reads for the memory figures (the
	// original JSON or Markdown).
	file string
	// markdown is the same plan as Markdown, which both lessonexport and
	// pandoc read for the speed comparison.
	markdown string
}

// bigStages is the number of procedure stages of the generated lesson.
const bigStages = 2000

// prepareInputs writes the inputs into dir: the examples and a generated
// lesson with bigStages procedure stages, as JSON and as Markdown.
func prepareInputs(examples, dir string) ([]input, error) {
	var ins []input
	for _, name := range []string{"my-family.json", "weather-forecast.md"} {
		src := filepath.Join(examples, name)
		data, err := os.ReadFile(src)
		if err != nil {
			return nil, fmt.Errorf("read example: %w", err)
		}
		p, err := lesson.ParseFile(src, data)
		if err != nil {
			return nil, fmt.Errorf("parse example %s: %w", src, err)
		}
		in := input{name: strings.TrimSuffix(name, filepath.Ext(name)), file: src}
		if filepath.Ext(name) == ".md" {
			in.markdown = src
		} else if in.markdown, err = writeMarkdown(dir, in.name, p); err != nil {
			return nil, err
		}
		ins = append(ins, in)
	}
	big, err := bigPlan(filepath.Join(examples, "my-family.json"))
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("generated-%d-stages", bigStages)
	data, err := json.MarshalIndent(big, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode generated lesson: %w", err)
	}
	jsonPath := filepath.Join(dir, name+".json")
	if err := os.WriteFile(jsonPath, data, 0o644); err != nil {
		return nil, fmt.Errorf("write generated lesson: %w", err)
	}
	md, err := writeMarkdown(dir, name, big)
	if err != nil {
		return nil, err
	}
	return append(ins, input{name: name, file: jsonPath, markdown: md}), nil
}

// writeMarkdown writes p as Markdown with the service's own writer.
func writeMarkdown(dir, name string, p *lesson.Plan) (string, error) {
	path := filepath.Join(dir, name+".md")
	f, err := os.Create(path)
	if err != nil {
		return "", fmt.Errorf("write markdown: %w", err)
	}
	werr := formats.Write(context.Background(), f, formats.Markdown, p)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		return "", fmt.Errorf("write markdown %s: %w", path, errorsJoin(werr, cerr))
	}
	return path, nil
}

func errorsJoin(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// bigPlan is the example lesson with bigStages procedure stages, each with
// teacher and student activities and a purpose in English and Chinese.
func bigPlan(example string) (*lesson.Plan, error) {
	data, err := os.ReadFile(example)
	if err != nil {
		return nil, fmt.Errorf("read example: %w", err)
	}
	p, err := lesson.ParseJSON(data)
	if err != nil {
		return nil, fmt.Errorf("parse example: %w", err)
	}
	p.Title = fmt.Sprintf("Unit 3 My Family 我的家人 (%d stages)", bigStages)
	p.Procedure = make([]lesson.Stage, bigStages)
	for i := range p.Procedure {
		m := 1 + i%5
		p.Procedure[i] = lesson.Stage{
			Name:        fmt.Sprintf("Stage %d 第%d环节", i+1, i+1),
			Minutes:     &m,
			Interaction: "T-Ss",
			Teacher: fmt.Sprintf("Show family photo %d and ask *Who's he? Who's she?* "+
				"教师展示第%d张家庭照片并提问。", i+1, i+1),
			Students: "Answer in pairs: **This is my father. These are my parents.** " +
				"学生两人一组，用目标句型回答。",
			Purpose: "Practise the key sentence patterns and his / her. 巩固核心句型与物主代词。",
		}
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("generated lesson: %w", err)
	}
	return p, nil
}
