package dev.kiln.loader.instance;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.info.Import;
import dev.kiln.artifact.info.ImportDesc;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.table.TableInstance;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an instance's imports into its VMContext (WebAssembly 2.0 section 4.5.4, steps 3-4 and
 * 8's import part), after {@link ImportMatcher} has checked their types. Every import is shared,
 * never copied: an imported memory, table or global is a pointer to the owner's definition record or
 * value slot ({@code memory[i].import}, {@code table[i].import}, {@code global[i].import}); an
 * imported function is the record {@code {wasm_call, array_call, vmctx}} copied from its VMFuncRef,
 * so calls go straight to the callee's code with the callee's vmctx.
 *
 * <p>A host function has no wasm-convention entry of its own: the importing module's WASM_TO_ARRAY
 * trampoline of the import's type stands in ({@link #wasmCallFor}), which the compiler emits for
 * every imported function type.
 *
 * <p>Since the importer's VMContext now holds addresses inside each exporter, binding makes the
 * importer a user of every exporter's {@link Lifetime} (released when the importer is freed): an
 * exporter closed first stays alive as long as an importer does. Everything imported must belong
 * to the importer's store (its code reads that store's context) and must not be closed.
 */
final class ImportBinder {
  private ImportBinder() {}

  /** The imports of one instance by kind, in each kind's index space (imports come first). */
  record Bound(List<FunctionInstance> functions, List<MemoryInstance> memories, List<TableInstance> tables,
      List<GlobalInstance> globals, List<TagInstance> tags) {
    /** No imports: what a module without any binds, and what an instance holds before binding. */
    static final Bound NONE = new Bound(List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /**
   * Checks {@code externs} against {@code module}'s imports and writes them into {@code vmctx}.
   *
   * @param importer the importing instance's lifetime, counted as a user of each import's owner
   * @param uses receives the lifetime of each import's owner, once per import, as it is used: the
   *     importer releases them when it is freed, also after a failed bind
   * @throws ImportLinkException if an import is missing or of the wrong type
   * @throws ModuleInstantiationException if an import belongs to another store or to a closed
   *     object, or the artifact lacks the trampoline a host function import needs
   */
  static Bound bind(LoadedModule module, NativeStore store, MemorySegment vmctx, VmContextView view, List<Extern> externs,
      Lifetime importer, List<Lifetime> uses, InstantiationDeadline deadline) {
    ModuleInfo info = module.info();
    ImportMatcher.check(info, externs, store.types(), deadline);
    if (externs.isEmpty()) {
      return Bound.NONE; // the check found the module imports nothing
    }
    List<FunctionInstance> functions = new ArrayList<>();
    List<MemoryInstance> memories = new ArrayList<>();
    List<TableInstance> tables = new ArrayList<>();
    List<GlobalInstance> globals = new ArrayList<>();
    List<TagInstance> tags = new ArrayList<>();
    List<Import> imports = info.imports();
    for (int i = 0; i < imports.size(); i++) {
      deadline.tick();
      Import anImport = imports.get(i);
      Extern extern = externs.get(i);
      if (extern.store() != store) {
        throw new ModuleInstantiationException("import " + ImportMatcher.describe(anImport) + " belongs to "
            + extern.store() + ", not to the importer's " + store);
      }
      if (!extern.owner().isOpen()) {
        throw new ModuleInstantiationException("import " + ImportMatcher.describe(anImport) + " comes from "
            + extern.owner() + ", which is closed");
      }
      extern.owner().use(importer);
      uses.add(extern.owner());
      switch (extern) {
        case Extern.Function(FunctionInstance f) -> {
          int index = functions.size();
          int typeIndex = ((ImportDesc.Function) anImport.desc()).typeIndex();
          long record = view.offset("import", index, ".wasm_call");
          f.writeImportRecord(vmctx.asSlice(record, VmLayout.IMPORT_SIZE), wasmCallFor(module, f, typeIndex, anImport));
          functions.add(f);
        }
        case Extern.Memory(MemoryInstance m) -> {
          vmctx.set(JAVA_LONG, view.offset("memory", memories.size(), ".import"), m.definitionAddress());
          memories.add(m);
        }
        case Extern.Table(TableInstance t) -> {
          vmctx.set(JAVA_LONG, view.offset("table", tables.size(), ".import"), t.definitionAddress());
          tables.add(t);
        }
        case Extern.Global(GlobalInstance g) -> {
          vmctx.set(JAVA_LONG, view.offset("global", globals.size(), ".import"), g.slotAddress());
          globals.add(g);
        }
        // no compiled code reads a tag yet: the instance keeps it for its exports
        case Extern.Tag(TagInstance t) -> tags.add(t);
      }
    }
    return new Bound(List.copyOf(functions), List.copyOf(memories), List.copyOf(tables), List.copyOf(globals),
        List.copyOf(tags));
  }

  /**
   * The wasm-convention entry to store for imported function {@code f}: its own, or for a host
   * function this module's WASM_TO_ARRAY trampoline of type {@code typeIndex}.
   */
  static long wasmCallFor(LoadedModule module, FunctionInstance f, int typeIndex, Import anImport) {
    if (f.wasmCall() != 0) {
      return f.wasmCall();
    }
    return module.code(FuncKey.wasmToArrayTrampoline(typeIndex)).orElseThrow(() ->
        new ModuleInstantiationException("import " + ImportMatcher.describe(anImport) + " is a host function, and the"
            + " artifact has no WASM_TO_ARRAY trampoline for its type " + typeIndex)).address();
  }
}
