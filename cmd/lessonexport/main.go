// Command lessonexport converts lesson plans on the command line, with the
// same import, rendering and writers as the service but no server, and mints
// development tokens.
//
// Usage:
//
//	lessonexport convert LESSON.json|LESSON.md --format word|pdf|pptx|markdown -o OUT
//	lessonexport token [--user ID] [--ttl 24h]
//
// It links neither Temporal nor the web server, so it starts fast.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"lessonexport/auth"
	"lessonexport/config"
	"lessonexport/formats"
	"lessonexport/lesson"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "convert":
		err = convert(os.Args[2:])
	case "token":
		err = token(os.Args[2:])
	case "help", "-h", "--help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "lessonexport: unknown command %q\n", os.Args[1])
		usage()
	}
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "lessonexport:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage:
  lessonexport convert LESSON --format word|pdf|pptx|markdown [-o OUT]
      convert a .json or .md lesson plan; OUT "-" is standard output;
      without -o the file goes beside LESSON with the format's extension
  lessonexport token [--user ID] [--ttl DURATION]
      print a bearer token signed with LESSONEXPORT_JWT_SECRET (or the
      development secret in LESSONEXPORT_DATA_DIR)`)
	os.Exit(2)
}

// interspersed parses flags that may come before or after the positional
// arguments, as "convert LESSON --format pdf" has them.
func interspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func convert(args []string) error {
	fs := flag.NewFlagSet("convert", flag.ContinueOnError)
	format := fs.String("format", "", "word, pdf, pptx or markdown")
	fs.StringVar(format, "f", "", "short for --format")
	out := fs.String("o", "", "output file, - for standard output")
	pos, err := interspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("convert takes one lesson file")
	}
	f, err := formats.Parse(*format)
	if err != nil {
		return err
	}
	in := pos[0]
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	plan, err := lesson.ParseFile(in, data)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	if *out == "" {
		*out = strings.TrimSuffix(in, filepath.Ext(in)) + f.Extension()
	}
	if same, _ := sameFile(in, *out); same {
		return fmt.Errorf("%s would overwrite the lesson itself; name another file with -o", *out)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if *out == "-" {
		w := bufio.NewWriterSize(os.Stdout, 64<<10)
		if err := formats.Write(ctx, w, f, plan); err != nil {
			return err
		}
		return w.Flush()
	}
	return writeAtomically(*out, func(w io.Writer) error { return formats.Write(ctx, w, f, plan) })
}

// sameFile reports whether a and b name one existing file.
func sameFile(a, b string) (bool, error) {
	fa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	fb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(fa, fb), nil
}

// writeAtomically writes through a temporary file beside path and renames
// it, so that a failed conversion never leaves a broken file at path. A path
// that exists and is no regular file (a device such as /dev/null, a pipe) is
// written to directly, never replaced.
func writeAtomically(path string, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 64<<10)
		if err := write(w); err != nil {
			f.Close()
			return err
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 64<<10)
	if err := write(w); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func token(args []string) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	user := fs.String("user", "dev-user", "the token's subject (user ID)")
	ttl := fs.Duration("ttl", 24*time.Hour, "how long the token is valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if os.Getenv("LESSONEXPORT_ENV") == "" && os.Getenv("LESSONEXPORT_JWT_SECRET") == "" {
		os.Setenv("LESSONEXPORT_ENV", "development")
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	if err := cfg.EnsureSecret(); err != nil {
		return err
	}
	h, err := auth.NewHS256([]byte(cfg.JWTSecret))
	if err != nil {
		return err
	}
	t, err := h.Mint(*user, *ttl, time.Now())
	if err != nil {
		return err
	}
	fmt.Println(t)
	return nil
}
