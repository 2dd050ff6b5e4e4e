/**
 * The immutable module model (spec 2.5): what the decoder produces and the validator, compiler and
 * loader read. Records and sealed interfaces only; code and segment payloads are ranges into the
 * module's bytes rather than copies, which keeps decoding fast and error offsets exact.
 */
package dev.kiln.wasm.module;
