/** The WebAssembly front end: binary decoder, validator and the immutable module model. No dependencies. */
module dev.kiln.wasm {
  exports dev.kiln.wasm;
  exports dev.kiln.wasm.types;
  exports dev.kiln.wasm.module;
  exports dev.kiln.wasm.code;
  exports dev.kiln.wasm.decode;
  exports dev.kiln.wasm.validate;
}
