/**
 * Validation (spec 3): module-level rules (index spaces, limits, exports, segments, start function,
 * declared function references) and the function-body algorithm of the spec's appendix (operand and
 * control stacks with unreachable polymorphism). A large module's bodies may be validated on several
 * threads (ParallelBodyValidation), with the one-thread outcome: the first invalid body's error. For
 * a module the decoder did not scan, validation also notes what the bodies tell the compiler ({@link
 * dev.kiln.wasm.code.BodyFacts}) as it reads them.
 */
package dev.kiln.wasm.validate;
