package dev.kiln.wasm.types;

/**
 * A memory type (spec 2.3.8): limits in pages, whether addresses are 64-bit (memory64) and whether it
 * is shared (threads; decoded so the validator can reject or accept it as the suite expects).
 */
public record MemoryType(Limits limits, boolean is64, boolean shared) {
  /** The address type used by loads, stores and memory instructions on this memory. */
  public ValType addressType() {
    return is64 ? ValType.I64 : ValType.I32;
  }
}
