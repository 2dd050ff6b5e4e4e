/**
 * The instance pool (issue 41, {@code loader.pool}): a reused slot shows nothing of the instance
 * before it (memory, globals, tables, size), guards stay guards, store limits still count, a full
 * pool is one error, and instantiating maps and unmaps nothing (counted, not timed); on x86-64 and
 * on the Unicorn executor for AArch64.
 */
package dev.kiln.tests.pool;
