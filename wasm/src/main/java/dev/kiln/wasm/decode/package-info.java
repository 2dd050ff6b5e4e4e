/**
 * The binary-format decoder (spec 5): header, sections, LEB128 integers, names, types, limits,
 * segments and the "name" section into the immutable {@link dev.kiln.wasm.module.Module} model.
 * {@link dev.kiln.wasm.decode.Decoder} is the entry point; {@link dev.kiln.wasm.Features}
 * says which proposals are accepted where they change the format.
 *
 * <p>Function bodies and constant expressions are read instruction by instruction with {@link
 * dev.kiln.wasm.code.InstructionReader} so that every malformed encoding is a decoding error, as the
 * spec requires, but they are kept as byte ranges of the module: the validator and the compiler read
 * them again on demand. {@link dev.kiln.wasm.decode.Decoder#decodeUnscanned} leaves the bodies'
 * instructions to the validation that follows ({@link dev.kiln.wasm.Wasm#load}), which then reads
 * them once instead of twice. Error texts and their precedence mirror the spec's reference
 * interpreter, because the spec test suite checks them.
 */
package dev.kiln.wasm.decode;
