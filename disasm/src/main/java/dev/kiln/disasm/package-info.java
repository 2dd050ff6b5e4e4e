/**
 * Disassembly of machine code, the oracle for encoder tests and the engine behind {@code kiln objdump}.
 * {@link dev.kiln.disasm.Disassembler} is the contract; {@link
 * dev.kiln.disasm.CapstoneDisassembler} implements it over Capstone 4 through JNA ({@link
 * dev.kiln.disasm.CapstoneLibrary}), Kiln's one native Capstone binding: a system {@code
 * libcapstone.so.4} (Debian's {@code libcapstone4}) decodes both ISAs; without one, the library
 * bundled in Maven Central's {@code com.github.zhkl0228:capstone} decodes AArch64 (it was built without
 * x86). x86-64 text is AT&amp;T syntax, AArch64 text is Capstone's standard ARM syntax. A module of its
 * own because it is tooling: the encoders' tests and {@code kiln objdump} use it, the compiler and the
 * runtime do not.
 *
 * <p>For x86-64 without {@code libcapstone4} there is Capstone 5.0 compiled to WebAssembly, npm's
 * {@code capstone-wasm} ({@link dev.kiln.disasm.CapstoneWasmPackage}): {@code kiln objdump}
 * runs it on Kiln ({@code cli.disasm}, which has the compiler and loader through the embedding API,
 * all of which sit above the code generators whose tests use this module), the encoder
 * tests run it on Node (codegen's test-jar, {@code CapstoneOracle}). It is fetched at run time, on
 * first use, rather than by the build: it is third-party code, so it is not committed and not put
 * into Kiln's jars; a build step would make {@code ./mvnw install} need npm and the network, while
 * fetching on use leaves a fresh clone's build as it was, costs one {@code npm pack} per machine
 * (npm's cache keeps the tarball), and gives a machine without npm one line saying what to install.
 * The version and npm's sha512 integrity are pinned and checked before the package is unpacked
 * ({@link dev.kiln.disasm.PinnedNpmPackage}, which also fetches npm's {@code binaryen} for the
 * WebAssembly 3.0 differential fuzzer in the tests module).
 */
package dev.kiln.disasm;
