/**
 * Building SSA from an imperative front end. The wasm translator declares one variable per local,
 * defines and uses variables as it walks the operators, creates blocks for wasm's structured
 * control, and seals each block once all its predecessors are known. {@link
 * dev.kiln.ir.builder.FunctionBuilder} then inserts block parameters only where a variable
 * really has different values on different incoming edges (Braun et al., "Simple and Efficient
 * Construction of Static Single Assignment Form", CC 2013), removing trivial ones as it goes.
 */
package dev.kiln.ir.builder;
