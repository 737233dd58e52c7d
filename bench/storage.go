package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"lessonexport/storage"
)

// storageTarget is the least storage throughput, as a fraction of dd's.
const storageTarget = 0.8

const storageBytes = 100 << 20

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// storageSpeed compares storage.Local.Save of 100 MiB with dd writing and
// syncing the same amount to the same folder, runs times each.
func storageSpeed(dir string, runs int, timeout time.Duration) []error {
	root := filepath.Join(dir, "store")
	store, err := storage.NewLocal(root, storage.Options{MaxFileSize: 2 * storageBytes})
	if err != nil {
		return []error{err}
	}
	defer store.Close()
	_, ddErr := lookTool("dd")
	// Runs alternate between the two writers, so that both see the same
	// state of the disk; one unmeasured run of each comes first.
	var saves, dds []time.Duration
	for i := range runs + 1 {
		d, err := saveOnce(store, "bench/run-"+strconv.Itoa(i)+".bin", timeout)
		if err != nil {
			return []error{err}
		}
		if i > 0 {
			saves = append(saves, d)
		}
		if ddErr != nil {
			continue
		}
		out := filepath.Join(root, "bench", "dd-"+strconv.Itoa(i)+".bin")
		r, err := runOnce(timeout, nil, "dd", "if=/dev/zero", "of="+out, "bs=1M",
			fmt.Sprintf("count=%d", storageBytes>>20), "conv=fsync", "status=none")
		os.Remove(out)
		if err != nil {
			return []error{err}
		}
		if i > 0 {
			dds = append(dds, r.wall)
		}
	}
	ss := statsOf(saves)
	fmt.Printf("%-22s %-36s %12s\n", "writer", "min/med/max", "MiB/s (med)")
	fmt.Printf("%-22s %-36s %12.1f\n", "storage.Local.Save", ss, mibps(ss.median))
	if ddErr != nil {
		fmt.Printf("%-22s %s\n", "dd conv=fsync", "not installed")
		return nil
	}
	ds := statsOf(dds)
	fmt.Printf("%-22s %-36s %12.1f\n", "dd bs=1M conv=fsync", ds, mibps(ds.median))
	ratio := float64(ds.median) / float64(ss.median)
	fmt.Printf("storage / dd throughput: %.2f  (target >= %.1f %s)\n", ratio, storageTarget,
		verdict(ratio >= storageTarget))
	return nil
}

// saveOnce saves 100 MiB of zeros under key, times it and deletes it again.
// The dd process's time includes its start; Save's is in-process.
func saveOnce(store *storage.Local, key string, timeout time.Duration) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	start := time.Now()
	_, err := store.Save(ctx, key, io.LimitReader(zeros{}, storageBytes))
	d := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("storage save: %w", err)
	}
	if err := store.Delete(key); err != nil {
		return 0, fmt.Errorf("storage delete: %w", err)
	}
	return d, nil
}

func mibps(d time.Duration) float64 {
	return float64(storageBytes) / (1 << 20) / d.Seconds()
}
