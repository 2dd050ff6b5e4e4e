/**
 * The IR's text format, modelled on Cranelift's: {@link dev.kiln.ir.text.Printer} writes it and
 * {@link dev.kiln.ir.text.Parser} reads it back, so that {@code print(parse(text)) == text}. Tests
 * are written in it (golden files under {@code ir/src/test/resources/golden}).
 *
 * {@snippet :
 * function %add(i32, i32) -> i32 {
 * block0(v0: i32, v1: i32):
 *     v2 = iadd.i32 v0, v1
 *     return v2
 * }
 * }
 *
 * <p>Opcodes with a controlling type carry it as a suffix ({@code iadd.i32}); others take their
 * types from operands or signatures. Memory accesses print flags then address and offset ({@code
 * load.i64 vmctx readonly aligned v0+8}); branches print destinations with arguments ({@code brif
 * v3, block1(v4), block2}); calls name declarations from the preamble ({@code sig0 = (i32) -> i32},
 * {@code fn0 = %callee sig0}). Float constants are exact hex floats. {@code ;} starts a comment.
 */
package dev.kiln.ir.text;
