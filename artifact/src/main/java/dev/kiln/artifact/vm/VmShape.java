package dev.kiln.artifact.vm;

/**
 * The counts a module's VMContext layout depends on. The artifact module has no dependency on the
 * wasm front end, so the compiler counts these from the decoded module (and the loader reads them
 * back from the artifact's module info); {@link VmLayout} turns them into offsets.
 *
 * <p>Index spaces follow the wasm rule (spec 2.5.1): imports first, so memory {@code i} is imported
 * while {@code i < importedMemories}, else defined memory {@code i - importedMemories}; the same
 * for tables and globals.
 *
 * @param importedFunctions imported functions, each with a {@code {wasm_call, array_call, vmctx}}
 *     record
 * @param importedMemories imported memories, reached through a pointer to their owner's definition
 * @param definedMemories memories this module defines, whose {@code {base, length}} sit inline
 * @param importedTables imported tables, reached through a pointer
 * @param definedTables tables this module defines, {@code {base, length}} inline
 * @param importedGlobals imported globals, reached through a pointer to their owner's slot
 * @param definedGlobals globals this module defines, one 16-byte slot each inline
 * @param escapingFunctions functions that escape (exported, in a table, {@code ref.func}): one
 *     VMFuncRef each
 * @param types function types, one u32 type id each (what {@code call_indirect} compares)
 * @param builtins builtin function pointers; {@link Builtin#SLOTTED} for the current list
 * @param elementSegments element segments, one {@code {base, length}} record each (what {@code
 *     table.init} copies from; a dropped or active segment has length 0)
 * @param dataSegments data segments, one {@code {base, length}} record each (what {@code
 *     memory.init} copies from; a dropped or active segment has length 0)
 * @param tags exception tags, imports first, one u64 identity each (what a landing pad compares an
 *     exception's tag with); last in the block, so a module without tags has the layout it had
 *     before tags existed
 */
public record VmShape(
    int importedFunctions,
    int importedMemories,
    int definedMemories,
    int importedTables,
    int definedTables,
    int importedGlobals,
    int definedGlobals,
    int escapingFunctions,
    int types,
    int builtins,
    int elementSegments,
    int dataSegments,
    int tags) {

  /** Shapes beyond this many entries of one kind are rejected (keeps every offset below 2^31). */
  public static final int MAX_COUNT = 1 << 20;

  public VmShape {
    check("importedFunctions", importedFunctions);
    check("importedMemories", importedMemories);
    check("definedMemories", definedMemories);
    check("importedTables", importedTables);
    check("definedTables", definedTables);
    check("importedGlobals", importedGlobals);
    check("definedGlobals", definedGlobals);
    check("escapingFunctions", escapingFunctions);
    check("types", types);
    check("builtins", builtins);
    check("elementSegments", elementSegments);
    check("dataSegments", dataSegments);
    check("tags", tags);
  }

  /** A shape without exception tags. */
  public VmShape(int importedFunctions, int importedMemories, int definedMemories, int importedTables,
      int definedTables, int importedGlobals, int definedGlobals, int escapingFunctions, int types,
      int builtins, int elementSegments, int dataSegments) {
    this(importedFunctions, importedMemories, definedMemories, importedTables, definedTables,
        importedGlobals, definedGlobals, escapingFunctions, types, builtins, elementSegments, dataSegments, 0);
  }

  /** A shape without element or data segments. */
  public VmShape(int importedFunctions, int importedMemories, int definedMemories, int importedTables,
      int definedTables, int importedGlobals, int definedGlobals, int escapingFunctions, int types,
      int builtins) {
    this(importedFunctions, importedMemories, definedMemories, importedTables, definedTables,
        importedGlobals, definedGlobals, escapingFunctions, types, builtins, 0, 0);
  }

  private static void check(String what, int count) {
    if (count < 0 || count > MAX_COUNT) {
      throw new IllegalArgumentException(what + " must be in [0, " + MAX_COUNT + "], got " + count);
    }
  }

  /** A shape with nothing in it but the builtins (a module with no imports or definitions). */
  public static final VmShape EMPTY = new VmShape(0, 0, 0, 0, 0, 0, 0, 0, 0, Builtin.SLOTTED);

  public int memories() {
    return importedMemories + definedMemories;
  }

  public int tables() {
    return importedTables + definedTables;
  }

  public int globals() {
    return importedGlobals + definedGlobals;
  }
}
