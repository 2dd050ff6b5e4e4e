/**
 * The spec-test runner behind {@code kiln wast} and the {@code tests} module's spec suite: one
 * engine, two faces.
 *
 * <p>A {@code .wast} script is read by Kiln's own script reader ({@code dev.kiln.wat.script}, mapped
 * by {@link dev.kiln.wast.TextScriptSource}) into the sealed {@link
 * dev.kiln.wast.ScriptCommand} model, text modules encoded and {@code module quote}s parsed when
 * their command runs. {@link dev.kiln.wast.ScriptExecutor}
 * runs each command (one method per kind) with the features of the script's edition and folder
 * ({@link dev.kiln.wast.Proposal}) and gives an {@link dev.kiln.wast.Outcome}; {@link
 * dev.kiln.wast.ShouldFailList} turns known failures into skips and listed cases that pass into
 * failures; {@link dev.kiln.wast.ReportPrinter} prints the per-file counts and ends with the line
 * {@code N passed, N failed, N skipped}.
 *
 * <p>The model keeps the conventions of wabt's JSON script format (wast2json 1.0.32, {@code
 * docs/wast2json.md} in wabt), which the engine read before Kiln had a text reader: numbers as the
 * decimal of their bits, identifiers with their {@code $}; the command
 * kinds and what each asserts are those of the spec's script format (WebAssembly spec, reference
 * interpreter, {@code interpreter/README.md}, "Scripts"). Modules run through the same pipeline as
 * {@code kiln run} ({@link dev.kiln.wast.Instantiator}: compile for the host, emit the
 * {@code .cwasm}, load, instantiate), and results are compared bit for bit, v128s lane by lane, and
 * an {@code (either ...)} result (WebAssembly 3.0: several allowed, as for relaxed SIMD) by any one
 * of its alternatives ({@link dev.kiln.wast.WastValues}); what Kiln cannot run yet (an operator it does not
 * compile, a script command of a proposal the runner does not carry out, a target this host cannot
 * run) is counted as skipped with the
 * reason, never as passed, and any other error of the compiler, linker or loader is a failure. A
 * function the compiler refuses does not cost its whole module: the runner compiles with {@code
 * CompileOptions.refusedFunctionsTrap}, so it becomes a stub trapping {@code TrapCode.UNSUPPORTED},
 * and only the commands that reach it are skipped (with the refusal); an instance with writable
 * state that reached one is no longer checked. Adding a command kind is a change to {@link
 * dev.kiln.wast.ScriptExecutor} only: its switch over the sealed model is exhaustive, so the
 * compiler points at it.
 */
package dev.kiln.wast;
