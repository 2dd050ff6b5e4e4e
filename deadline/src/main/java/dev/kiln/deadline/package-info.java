/**
 * A bound on how long turning one untrusted module into loaded code may take, for embedders and
 * {@code kiln run}: one {@link dev.kiln.deadline.CompileDeadline}, bound to the working thread
 * (and to each compile worker), polled by every stage whose work grows with the input ({@link
 * dev.kiln.deadline.Phase}): the decoder and validator per section entry and function body, the
 * compiler's phases per operator, pass, block or vreg, the artifact writer per record, the loader
 * per record it reads back. Module-level loops poll every {@link
 * dev.kiln.deadline.CompileDeadline#POLL_INTERVAL} entries ({@link
 * dev.kiln.deadline.CompileDeadline#pollCounted}), so the clock is read once per that many cheap
 * items, not per item. Past the deadline a poll throws {@link
 * dev.kiln.deadline.CompileTimeoutException} naming the stage.
 *
 * <p>A module-level loop that runs once per compile is best written as {@link
 * dev.kiln.deadline.CompileDeadline#forEach}, which polls the same way and makes each item a call
 * the JIT compiles: a large module's compile runs without on-stack replacement, so such a loop
 * written plainly runs interpreted from its first item to its last.
 *
 * <p>Its own module, with no dependencies, because the stages that poll it live in modules that
 * share no other: the front end ({@code dev.kiln.wasm}), the IR and back ends, the compiler driver
 * and the loader, which must not depend on the compiler.
 */
package dev.kiln.deadline;
