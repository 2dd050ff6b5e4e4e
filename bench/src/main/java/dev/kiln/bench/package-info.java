/**
 * Benchmarks that put Kiln beside peer runtimes in one run. Numbers go into docs/PERFORMANCE.md with
 * the command that produced them; nothing here is a test, and no test asserts timings.
 */
package dev.kiln.bench;
