package dev.kiln.runtime;

import java.util.List;

/**
 * Red team 25 F1 and F3 in a JVM of its own ({@link ApiClassesAtStartTest}): an engine made at the
 * top, then {@code RefType.FUNCREF} and {@code new FuncType(...)} with a reference parameter
 * ({@code PreciseType.of} converts it; red team 25 F3 found it through a javac switch map, which the
 * module no longer has) touched at every depth of a window at the end of the stack, then a module
 * with a funcref table compiled and instantiated at the top. A class whose initialiser first ran in
 * that window and overflowed is erroneous for the JVM's life (JLS 12.4.2), and the module's
 * reference types fail with it. Prints {@code overflowed N} (attempts the stack's end refused: the
 * window reached it) and {@code ok TYPE} once the module works.
 */
final class ApiClassesAtStackEnd {
  /** Levels on the way back from the overflow at which the two uses are attempted. */
  private static final int WINDOW = 12_000;
  private static final String WAT = """
      (module
        (table (export "table") 2 funcref)
        (func (export "f") (param funcref) (result i32) (ref.is_null (local.get 0))))
      """;

  private static int attempts;
  private static int overflowed;

  private ApiClassesAtStackEnd() {}

  public static void main(String[] args) throws Exception {
    Engine engine = Engine.create();
    byte[] wasm = dev.kiln.wat.Wat.toBinary(WAT, "funcref-table.wat");
    recurse();
    System.out.println("overflowed " + overflowed + " of " + attempts);
    try (Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(WasmModule.compile(engine, wasm));
      FuncType type = new FuncType(List.of(ValType.FUNCREF), List.of());
      System.out.println("ok " + instance.table("table").type().preciseElement() + " " + type.preciseParams().get(0));
    }
  }

  /** Recurses to the stack's end; the uses are attempted {@link #WINDOW} times on the way back. */
  private static void recurse() {
    try {
      recurse();
    } catch (StackOverflowError theEnd) {
      // the way back starts here
    }
    // from frames a little deeper than this one too: the levels' steps are coarser than a frame's
    for (int deeper = 0; deeper < 4 && attempts < WINDOW; deeper++) {
      attempts++;
      try {
        touch(deeper);
      } catch (StackOverflowError | LinkageError refused) {
        // at the stack's end: an initialiser this overflowed is what the top then finds erroneous
        overflowed++;
      }
    }
  }

  private static void touch(int deeper) {
    if (deeper > 0) {
      touch(deeper - 1);
      return;
    }
    if (RefType.FUNCREF.heap() != HeapType.Abstract.FUNC
        || new FuncType(List.of(ValType.FUNCREF), List.of()).preciseParams().size() != 1
        || !RefType.FUNCREF.toString().equals("funcref")) {
      throw new AssertionError("funcref");
    }
  }
}
