/**
 * Validation (spec 3): module-level rules (index spaces, limits, exports, segments, start function,
 * declared function references) and the function-body algorithm of the spec's appendix (operand and
 * control stacks with unreachable polymorphism).
 */
package dev.kiln.wasm.validate;
