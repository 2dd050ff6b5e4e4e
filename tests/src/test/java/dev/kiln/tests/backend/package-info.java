/**
 * The back ends through the whole pipeline where the spec scripts look lightly: stack arguments and
 * return areas across calls, more live values than registers, long {@code br_table}s, tail calls,
 * float edge values, inlining, bounds-check elimination, fixed-table {@code call_indirect}, trap
 * offsets and parallel compiles, each on the targets its class names; and the compiler's work on
 * hostile shapes, counted rather than timed ({@link dev.kiln.tests.backend.LoweringTarget}).
 */
package dev.kiln.tests.backend;
