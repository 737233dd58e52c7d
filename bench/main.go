package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

func main() {
	quick := flag.Bool("quick", false, "skip the end-to-end part through Temporal")
	bin := flag.String("bin", "bin", "folder holding lessonexport, lessonexportd and temporal")
	examples := flag.String("examples", filepath.Join("testdata", "examples"),
		"folder of the example lessons")
	runs := flag.Int("runs", 5, "runs of each fast command")
	slowRuns := flag.Int("slow-runs", 3, "runs of LibreOffice and of pandoc's large PPTX")
	nExports := flag.Int("exports", 200, "measured exports per concurrency cap")
	clients := flag.Int("clients", 0, "exports in flight at once in the end-to-end part; "+
		"0 means twice the cap")
	timeout := flag.Duration("timeout", time.Minute, "timeout of one lessonexport command "+
		"(ten times this for pandoc and LibreOffice)")
	capDeadline := flag.Duration("e2e-timeout", 5*time.Minute, "time limit per concurrency cap")
	keep := flag.Bool("keep", false, "keep the scratch folder")
	capList := flag.String("caps", "1,4,8", "concurrency caps of the end-to-end part")
	only := flag.String("only", "convert,memory,storage,e2e",
		"comma-separated parts to run: convert, memory, storage, e2e")
	flag.Parse()
	var caps []int
	for c := range strings.SplitSeq(*capList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "bench: bad cap %q in -caps\n", c)
			os.Exit(2)
		}
		caps = append(caps, n)
	}
	parts := map[string]bool{}
	for p := range strings.SplitSeq(*only, ",") {
		p = strings.TrimSpace(p)
		if p != "convert" && p != "memory" && p != "storage" && p != "e2e" {
			fmt.Fprintf(os.Stderr, "bench: unknown part %q in -only\n", p)
			os.Exit(2)
		}
		parts[p] = true
	}
	if *quick {
		delete(parts, "e2e")
	}
	if err := run(parts, caps, *bin, *examples, *runs, *slowRuns, *nExports, *clients, *timeout,
		*capDeadline, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(parts map[string]bool, caps []int, bin, examples string,
	runs, slowRuns, nExports, clients int,
	timeout, capDeadline time.Duration, keep bool) error {
	if runs < 1 || slowRuns < 1 || nExports < 1 || clients < 0 {
		return errors.New("-runs, -slow-runs and -exports must be at least 1, -clients at least 0")
	}
	bin, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	cli := filepath.Join(bin, "lessonexport")
	if _, err := os.Stat(cli); err != nil {
		return fmt.Errorf("%s is missing; run make build first", cli)
	}
	dir, err := os.MkdirTemp("", "lessonexport-bench-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("scratch folder:", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	machine()

	ins, err := prepareInputs(examples, dir)
	if err != nil {
		return err
	}
	var errs []error
	cb := &convertBench{cli: cli, dir: dir, runs: runs, slowRuns: slowRuns, timeout: timeout}
	if p, err := exec.LookPath("time"); err == nil && isGNUTime(p) {
		cb.timeTool = p
	}

	section("Conversion time, whole process, Markdown input (min / median / max)")
	if parts["convert"] {
		fmt.Printf("lessonexport: %d runs; pandoc: %d (%d for the large PPTX); "+
			"LibreOffice: %d after one warm-up, converting lessonexport's DOCX\n",
			runs, runs, slowRuns, slowRuns)
		fmt.Printf("tools: %s; %s\n", version("pandoc", "--version"),
			version("soffice", "--version"))
		errs = append(errs, cb.speed(ins)...)
	} else {
		fmt.Println("skipped")
	}

	section("Peak memory of lessonexport convert (max RSS, median of 3 runs)")
	if parts["memory"] {
		errs = append(errs, cb.memory(ins[0], ins[len(ins)-1])...)
	} else {
		fmt.Println("skipped")
	}

	section("Storage throughput, 100 MiB, same folder, runs interleaved")
	if parts["storage"] {
		errs = append(errs, storageSpeed(dir, 5, 10*timeout)...)
	} else {
		fmt.Println("skipped")
	}

	section("End to end through Temporal: POST /api/v1/exports to completed")
	if !parts["e2e"] {
		fmt.Println("skipped (-quick or -only)")
	} else {
		eb := &e2eBench{bin: bin, dir: filepath.Join(dir, "e2e"), lesson: ins[0].file,
			exports: nExports, clients: clients, caps: caps, deadline: capDeadline}
		if err := os.MkdirAll(eb.dir, 0o750); err != nil {
			return err
		}
		if err := eb.run(); err != nil {
			errs = append(errs, err)
		}
	}
	fmt.Println()
	loadAverage("at end")
	return errors.Join(errs...)
}

func section(title string) {
	fmt.Printf("\n== %s\n", title)
}

// machine prints what the figures were measured on.
func machine() {
	fmt.Printf("machine: %d CPUs (%s), %s memory, %s, %s/%s\n", runtime.NumCPU(), cpuModel(),
		memTotal(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	loadAverage("at start")
}

// loadAverage prints the one-minute load average, with a warning when other
// work on the machine makes the figures unreliable.
func loadAverage(when string) {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return
	}
	fields := strings.Fields(string(data))
	if len(fields) < 3 {
		return
	}
	fmt.Printf("load average %s: %s %s %s", when, fields[0], fields[1], fields[2])
	if l, err := strconv.ParseFloat(fields[0], 64); err == nil && l > float64(runtime.NumCPU())/2 {
		fmt.Print("  (WARNING: the machine is busy; timings are unreliable)")
	}
	fmt.Println()
}

func cpuModel() string {
	return procField("/proc/cpuinfo", "model name")
}

func memTotal() string {
	v := procField("/proc/meminfo", "MemTotal")
	var kib int64
	if _, err := fmt.Sscanf(v, "%d kB", &kib); err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%.1f GiB", float64(kib)/(1<<20))
}

// procField returns the value of the first "name: value" line of a /proc
// file, or "unknown".
func procField(path, name string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// isGNUTime reports whether the time command at path understands -f.
func isGNUTime(path string) bool {
	return exec.Command(path, "-f", "%M", "true").Run() == nil
}

// version returns the first line a tool prints for its version flag.
func version(tool, flag string) string {
	p, err := lookTool(tool)
	if err != nil {
		return tool + " not installed"
	}
	out, err := exec.Command(p, flag).Output()
	if err != nil {
		return tool + " (version unknown)"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}
