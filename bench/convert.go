package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Targets of the comparison.
const (
	pandocTarget      = 10.0 // lessonexport at least this many times faster
	libreOfficeTarget = 30.0
	memoryTarget      = 1.5 // large lesson's peak memory / small lesson's
)

// convertBench holds what the conversion benchmarks need.
type convertBench struct {
	cli      string // bin/lessonexport
	dir      string // scratch folder
	runs     int
	slowRuns int
	timeout  time.Duration
	timeTool string // GNU time, or empty
}

// tool is a measured command, or the reason it was not measured.
type tool struct {
	stats  stats
	reason string // "not installed", or an error
}

func (t tool) String() string {
	if t.reason != "" {
		return t.reason
	}
	return t.stats.String()
}

// convert measures lessonexport convert of in to format, n times.
func (b *convertBench) convert(in, format string, n int) ([]result, string, error) {
	out := filepath.Join(b.dir, "le-"+format+"-"+strings.TrimSuffix(filepath.Base(in),
		filepath.Ext(in))+extension(format))
	rs, err := runMany(n, b.timeout, nil, b.cli, "convert", in, "--format", format, "-o", out)
	return rs, out, err
}

func extension(format string) string {
	switch format {
	case "word":
		return ".docx"
	case "markdown":
		return ".md"
	}
	return "." + format
}

// other measures a tool's run n times, or says why it cannot.
func other(n int, timeout time.Duration, name string, args ...string) (tool, error) {
	path, err := lookTool(name)
	if err != nil {
		return tool{reason: "not installed"}, nil
	}
	rs, err := runMany(n, timeout, nil, path, args...)
	if err != nil {
		return tool{reason: "error"}, err
	}
	return tool{stats: durStats(rs)}, nil
}

// speed prints lessonexport against pandoc and LibreOffice on every input.
// It returns the errors of commands that failed.
func (b *convertBench) speed(ins []input) []error {
	var errs []error
	fail := func(err error) {
		if err != nil {
			errs = append(errs, err)
			fmt.Printf("    error: %v\n", err)
		}
	}
	fmt.Printf("%-22s %-6s %-33s %-12s %-36s %7s  %s\n", "input", "format",
		"lessonexport min/med/max", "against", "min/med/max", "ratio", "target")
	profile := filepath.Join(b.dir, "lo-profile")
	loWarm := false
	for _, in := range ins {
		big := strings.HasPrefix(in.name, "generated")
		for _, format := range []string{"word", "pptx", "pdf"} {
			rs, _, err := b.convert(in.markdown, format, b.runs)
			if err != nil {
				fail(err)
				continue
			}
			ours := durStats(rs)
			var against string
			var t tool
			var target float64
			switch format {
			case "word", "pptx":
				against, target = "pandoc", pandocTarget
				n := b.runs
				if big && format == "pptx" {
					n = b.slowRuns
				}
				out := filepath.Join(b.dir, "pandoc-"+in.name+extension(format))
				t, err = other(n, 10*b.timeout, "pandoc", in.markdown, "-o", out)
			case "pdf":
				against, target = "LibreOffice", libreOfficeTarget
				// LibreOffice converts the DOCX lessonexport made.
				var docx string
				_, docx, err = b.convert(in.markdown, "word", 1)
				if err != nil {
					fail(err)
					continue
				}
				args := []string{"-env:UserInstallation=" + fileURL(profile), "--headless",
					"--convert-to", "pdf", "--outdir", filepath.Join(b.dir, "lo-out"), docx}
				if !loWarm {
					// The first run creates the profile; it is not measured.
					if _, lerr := lookTool("soffice"); lerr == nil {
						_, err = runOnce(10*b.timeout, nil, "soffice", args...)
						fail(err)
						loWarm = err == nil
					}
				}
				t, err = other(b.slowRuns, 10*b.timeout, "soffice", args...)
			}
			fail(err)
			ratio, mark := "-", "-"
			if t.reason == "" && ours.median > 0 {
				r := float64(t.stats.median) / float64(ours.median)
				ratio = fmt.Sprintf("%.1fx", r)
				mark = fmt.Sprintf(">= %.0fx %s", target, verdict(r >= target))
			}
			fmt.Printf("%-22s %-6s %-33s %-12s %-36s %7s  %s\n", in.name, format,
				ours, against, t, ratio, mark)
		}
	}
	return errs
}

func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// memory prints the peak resident memory of lessonexport convert for the
// small example and the generated lesson, per format.
func (b *convertBench) memory(small, big input) []error {
	var errs []error
	fmt.Printf("%-9s %14s %14s %8s  %s\n", "format", small.name+" KiB",
		"large KiB", "ratio", "target")
	for _, format := range []string{"word", "pdf", "pptx", "markdown"} {
		s, err := b.peak(small.file, format)
		if err != nil {
			errs = append(errs, err)
			fmt.Printf("    error: %v\n", err)
			continue
		}
		l, err := b.peak(big.file, format)
		if err != nil {
			errs = append(errs, err)
			fmt.Printf("    error: %v\n", err)
			continue
		}
		r := float64(l) / float64(s)
		fmt.Printf("%-9s %14d %14d %7.2fx  <= %.1fx %s\n", format, s, l, r, memoryTarget,
			verdict(r <= memoryTarget))
	}
	fmt.Printf("(large: %s, %s)\n", big.name, sizeOf(big.file))
	if b.timeTool == "" {
		fmt.Printf("(GNU time not installed: figures from wait4, each at least this "+
			"runner's own %d KiB)\n", selfPeak())
	} else {
		fmt.Println("(measured with GNU time's %M)")
	}
	return errs
}

// peak is the median of three runs' peak resident memory, in KiB.
//
// The resource usage Go's os/exec reports cannot serve here: Go starts
// children with vfork, and Linux carries the parent's peak resident memory
// over into the child's at exec, so every figure would be at least the
// runner's own. GNU time starts the command with a plain fork from a small
// process, so its figure is the command's own; without it the figures are
// printed with that floor.
func (b *convertBench) peak(in, format string) (int64, error) {
	out := filepath.Join(b.dir, "peak"+extension(format))
	var kib []int64
	for range 3 {
		if b.timeTool == "" {
			r, err := runOnce(b.timeout, nil, b.cli, "convert", in, "--format", format, "-o", out)
			if err != nil {
				return 0, err
			}
			kib = append(kib, r.maxRSS)
			continue
		}
		report := filepath.Join(b.dir, "peak.time")
		_, err := runOnce(b.timeout, nil, b.timeTool, "-f", "%M", "-o", report,
			b.cli, "convert", in, "--format", format, "-o", out)
		if err != nil {
			return 0, err
		}
		n, err := lastNumber(report)
		if err != nil {
			return 0, err
		}
		kib = append(kib, n)
	}
	slices.Sort(kib)
	return kib[len(kib)/2], nil
}

// lastNumber reads the number on the last line of GNU time's report.
func lastNumber(path string) (int64, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read time report: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	n, err := strconv.ParseInt(strings.TrimSpace(lines[len(lines)-1]), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("time report %q: %w", data, err)
	}
	return n, nil
}

// selfPeak is this process's peak resident memory in KiB, the floor of
// figures measured without GNU time.
func selfPeak() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss
}

func sizeOf(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "size unknown"
	}
	return fmt.Sprintf("%.1f KiB input", float64(fi.Size())/1024)
}
