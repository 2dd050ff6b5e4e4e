/**
 * Test harnesses every ISA backend's tests share, published as codegen's test-jar (the ISA modules
 * depend on it with {@code <type>test-jar</type>}, scope test): the golden-listing files of the
 * lowering tests ({@link dev.kiln.codegen.testsupport.GoldenListings}) and the Capstone oracle loop
 * of the encoder round-trip tests ({@link dev.kiln.codegen.testsupport.CapstoneOracle}) and the check
 * that a backend keeps call places for one compile only ({@link
 * dev.kiln.codegen.testsupport.CompileScopedCallPlaces}), and the count of the bytes a lowering step
 * allocates ({@link dev.kiln.codegen.testsupport.AllocationFreeSteps}). Each ISA
 * supplies only what differs: its backend, its forms and how one instruction is encoded and printed.
 */
package dev.kiln.codegen.testsupport;
