/**
 * The IR's golden-file tests (docs/ARCHITECTURE.md section 5): each file under {@code
 * src/test/resources/golden} holds its input and, as comment lines, its expected output, so it stays
 * valid IR text ({@link dev.kiln.ir.golden.GoldenFile}); {@link dev.kiln.ir.golden.GoldenTest} runs
 * them, and {@code -Dkiln.bless=true} rewrites the expectations instead of failing.
 */
package dev.kiln.ir.golden;
