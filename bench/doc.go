// Command bench measures the service against common document converters,
// its peak memory, its storage throughput and its end-to-end export latency
// through a Temporal development server, and prints each figure beside its
// target.
//
// Usage, from the module root after building bin/:
//
//	go run ./bench [-quick] [-only convert,memory,storage,e2e] [-bin bin]
//	    [-runs 5] [-slow-runs 3] [-exports 200] [-clients 0] [-caps 1,4,8] [-keep]
//
// Tools that are not installed (pandoc, soffice, dd) give a "not installed"
// row; peak memory is measured with GNU time when it is installed. A figure
// that misses its target is printed as MISSED; only a real
// failure (a command that fails, a server that does not start) makes the
// exit status non-zero. The runner installs nothing.
package main
