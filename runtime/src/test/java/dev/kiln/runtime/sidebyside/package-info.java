/**
 * docs/EMBEDDING.md's three tasks written against Kiln, Chicory and wasmtime-java: the document quotes
 * these classes' method bodies, and {@link dev.kiln.runtime.sidebyside.SideBySideTest} runs all three
 * with the same results, so the comparison cannot drift from code that compiles and runs.
 */
package dev.kiln.runtime.sidebyside;
