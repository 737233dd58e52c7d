// Package storage keeps exported files on local disk under one root folder,
// writing each file atomically and recording its SHA-256 checksum.
package storage
