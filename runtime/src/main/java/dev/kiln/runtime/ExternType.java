package dev.kiln.runtime;

/**
 * The type of something a module imports or exports (WebAssembly 2.0 section 2.3.9, external
 * types): a function's signature, a table's element type and limits, a memory's limits, a global's
 * value type and mutability. {@link WasmModule#imports()} and {@link WasmModule#exports()} carry
 * them, so a module can be inspected before it is instantiated.
 */
public sealed interface ExternType permits FuncType, TableType, MemoryType, GlobalType, TagType {
  /**
   * Which kind of entity this is the type of.
   *
   * @return the kind
   */
  ExternKind kind();
}
