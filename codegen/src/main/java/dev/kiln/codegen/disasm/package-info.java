/**
 * Disassembly of machine code, the oracle for encoder tests and the engine behind {@code kiln objdump}.
 * {@link dev.kiln.codegen.disasm.Disassembler} is the contract; {@link
 * dev.kiln.codegen.disasm.CapstoneDisassembler} implements it over Capstone 4 through the FFM API: a
 * system {@code libcapstone.so.4} (Debian's {@code libcapstone4}) decodes both ISAs; without one, the
 * library bundled in Maven Central's {@code com.github.zhkl0228:capstone} decodes AArch64 (it was built
 * without x86). x86-64 text is AT&amp;T syntax, AArch64 text is Capstone's standard ARM syntax.
 *
 * <p>For x86-64 without {@code libcapstone4} there is Capstone 5.0 compiled to WebAssembly, npm's
 * {@code capstone-wasm} ({@link dev.kiln.codegen.disasm.CapstoneWasmPackage}): {@code kiln objdump}
 * runs it on Kiln (module cli, which has the compiler and loader this module sits below), the encoder
 * tests run it on Node (codegen's test-jar, {@code CapstoneOracle}). It is fetched at run time, on
 * first use, rather than by the build: it is third-party code, so it is not committed and not put
 * into Kiln's jars; a build step would make {@code ./mvnw install} need npm and the network, while
 * fetching on use leaves a fresh clone's build as it was, costs one {@code npm pack} per machine
 * (npm's cache keeps the tarball), and gives a machine without npm one line saying what to install.
 * The version and npm's sha512 integrity are pinned and checked before the package is unpacked.
 */
package dev.kiln.codegen.disasm;
