/**
 * A bound on how long one module's compile may take, for embedders and {@code kiln run} that
 * compile modules they do not trust: {@link dev.kiln.ir.deadline.CompileDeadline} is bound to the
 * compiling thread and polled by the phases whose work grows with a function's shape (translation
 * every 256 operators; IR passes; lowering, register allocation and emission per block or vreg), so
 * a compile past it stops with {@link dev.kiln.ir.deadline.CompileTimeoutException} soon after.
 * It lives in the IR module because every phase that polls it (the IR's own passes, the backends,
 * the compiler driver) depends on this module and on no other shared one.
 */
package dev.kiln.ir.deadline;
