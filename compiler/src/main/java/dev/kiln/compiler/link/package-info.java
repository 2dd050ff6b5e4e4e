/**
 * The linker (docs/ARCHITECTURE.md section 2): lays every compiled function out in one {@code
 * .text} in FuncKey order, resolves the calls between them so that {@code .text} carries no
 * relocations (section 3), drops functions nothing live reaches, and rebases each function's trap
 * sites and address map into text offsets for the artifact's tables. The text is laid out at link
 * from what is kept of each function (its size and callees); its bytes are made only as the
 * artifact's writer takes them, each function's code copied, its relocations checked and applied,
 * into the file ({@link dev.kiln.compiler.link.LinkedText#textImage}),
 * so a compile holds the code once; it reads the compiled functions by position from {@link
 * dev.kiln.compiler.link.CompiledFunctions}, which a large compile keeps in a file rather than the
 * heap ({@link dev.kiln.compiler.link.FunctionSpill}), one at a time. It knows nothing about wasm
 * beyond the FuncKeys it is given: which keys are roots and what each function is called are the
 * driver's decisions, passed in.
 */
package dev.kiln.compiler.link;
