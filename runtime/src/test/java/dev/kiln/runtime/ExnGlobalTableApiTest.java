package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.runtime.GcStress;
import dev.kiln.wat.Wat;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exported and imported globals and tables of the exn hierarchy (WebAssembly 3.0 spec 2.3.4,
 * {@code exnref}, {@code (ref exn)}, {@code nullexnref}), on both targets. Java reads an exception
 * object out of one as an {@link ExnRef} handle and writes it back through {@link
 * Conversions#wasmValue}, which lets in only 0 or one of the store's own exception objects: another
 * store's handle, a struct, an i31, an externref word or a Java null are refused in one line, so
 * compiled code never reads another word as an exception object ({@code throw_ref}). The objects
 * the slots hold stay roots of the store's collector: the debug mode ({@link GcStress}) collects at
 * every allocation, which moves them. Imports match by 3.0 subtyping (spec 3.0 4.5.3.3 import
 * matching): a mutable global and a table invariantly, an immutable global covariantly.
 */
class ExnGlobalTableApiTest {
  private static final String EXPORTER = """
      (module
        (type $s (struct (field i32)))
        (tag $e (export "e") (param i32))
        (global $g (export "g") (mut exnref) (ref.null exn))
        (global (export "n") (mut nullexnref) (ref.null noexn))
        (global (export "imm") exnref (ref.null exn))
        (global (export "immnull") nullexnref (ref.null noexn))
        (table $t (export "t") 2 exnref)
        (table (export "tn") 1 nullexnref)
        (func $catch (param i32) (result exnref)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (throw $e (local.get 0)))
            (unreachable)))
        (func (export "stash") (param i32)
          (global.set $g (call $catch (local.get 0)))
          (table.set $t (i32.const 1) (call $catch (i32.add (local.get 0) (i32.const 1)))))
        (func (export "churn") (param i32)
          (loop $l
            (drop (struct.new $s (local.get 0)))
            (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
        (func (export "struct") (result anyref) (struct.new $s (i32.const 7)))
        (func (export "i31") (result anyref) (ref.i31 (i32.const 7)))
        (func (export "rethrow-global") (throw_ref (global.get $g)))
        (func (export "rethrow-table") (param i32) (throw_ref (table.get $t (local.get 0)))))
      """;

  private static final String IMPORTER = """
      (module
        (global $g (import "a" "g") (mut exnref))
        (table $t (import "a" "t") 2 (ref null exn))
        (func (export "swap")
          (local exnref)
          (local.set 0 (global.get $g))
          (global.set $g (table.get $t (i32.const 1)))
          (table.set $t (i32.const 1) (local.get 0)))
        (func (export "rethrow-global") (throw_ref (global.get $g))))
      """;

  private static Engine engine(Target target) {
    return Engine.builder().target(target).build();
  }

  private static Instance instantiate(Linker linker, Engine engine, String wat) {
    return linker.instantiate(WasmModule.compile(engine, Wat.toBinary(wat, "exn-slots.wat")));
  }

  private static int thrownPayload(Instance instance, String export, Val... args) {
    WasmThrow thrown = assertThrows(WasmThrow.class, () -> instance.func(export).call(args));
    return thrown.payload().getFirst().asInt();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void exceptionsReadFromExportedSlotsGoBackAndAreRethrownAcrossCollections(Target target) {
    collectingAtEveryAllocation(target, (engine, linker) -> {
      Instance a = instantiate(linker, engine, EXPORTER);
      a.func("stash").call(Val.i32(40));
      a.func("churn").call(Val.i32(50));
      Global global = a.global("g");
      Table table = a.table("t");
      assertEquals(ValType.EXNREF, global.type());
      assertEquals(ValType.EXNREF, table.elementType());
      Val fromGlobal = assertInstanceOf(Val.Exn.class, global.get());
      Val fromTable = assertInstanceOf(Val.Exn.class, table.get(1));
      assertTrue(table.get(0).isNull());
      // crossed over by Java, then moved by collections while only the slots and the handles hold them
      global.set(fromTable);
      table.set(0, fromGlobal);
      table.set(1, Val.nullRef(ValType.EXNREF));
      a.func("churn").call(Val.i32(50));
      assertEquals(41, thrownPayload(a, "rethrow-global"));
      assertEquals(40, thrownPayload(a, "rethrow-table", Val.i32(0)));
      assertEquals(a.tag("e"), assertThrows(WasmThrow.class, () -> a.func("rethrow-global").call()).tag());
      assertEquals(fromTable, global.get(), "the handle names the same object after collections");
      assertTrue(table.grow(1, fromGlobal) >= 0);
      assertEquals(40, thrownPayload(a, "rethrow-table", Val.i32(2)));
    });
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anotherInstanceImportsTheSlotsAndSharesTheirExceptions(Target target) {
    collectingAtEveryAllocation(target, (engine, linker) -> {
      Instance a = instantiate(linker, engine, EXPORTER);
      linker.instance("a", a);
      Instance b = instantiate(linker, engine, IMPORTER);
      a.func("stash").call(Val.i32(10));
      b.func("swap").call();
      a.func("churn").call(Val.i32(50));
      assertEquals(11, thrownPayload(b, "rethrow-global"));
      assertEquals(11, thrownPayload(a, "rethrow-global"));
      assertEquals(10, thrownPayload(a, "rethrow-table", Val.i32(1)));
    });
  }

  /** Runs {@code body} with a linker of a new store of {@code target} made in the debug mode ({@link GcStress}). */
  private static void collectingAtEveryAllocation(Target target, BiConsumer<Engine, Linker> body) {
    Engine engine = engine(target);
    System.setProperty(GcStress.PROPERTY, "true");
    try (Store store = new Store(engine)) {
      body.accept(engine, new Linker(store));
    } finally {
      System.clearProperty(GcStress.PROPERTY);
    }
  }

  /** Every value that is not 0 or one of the store's own exception objects is refused in one line. */
  @ParameterizedTest
  @EnumSource(Target.class)
  void javaCannotWriteAnythingButTheStoresOwnExceptionsIntoExnSlots(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine); Store other = new Store(engine)) {
      Instance a = instantiate(new Linker(store), engine, EXPORTER);
      Instance b = instantiate(new Linker(other), engine, EXPORTER);
      b.func("stash").call(Val.i32(1));
      a.func("stash").call(Val.i32(1));
      Val foreign = b.global("g").get();
      Val own = a.global("g").get();
      Val struct = a.func("struct").call().getFirst();
      Val i31 = a.func("i31").call().getFirst();
      Global global = a.global("g");
      Table table = a.table("t");
      List<Consumer<Val>> writes = List.of(global::set, v -> table.set(0, v), v -> table.grow(1, v));
      for (Consumer<Val> write : writes) {
        assertRefused(write, foreign, "given to");
        assertRefused(write, struct, "is a ANYREF");
        assertRefused(write, i31, "is a ANYREF");
        assertRefused(write, new Val.Ref(ValType.EXTERNREF, 0x1234), "is a EXTERNREF");
        assertRefused(write, Val.nullRef(ValType.EXTERNREF), "is a EXTERNREF");
        assertRefused(write, Val.i32(0), "is a I32");
        assertRefused(write, null, "Java null");
      }
      assertRefused(a.global("n")::set, own, "only value is null");
      assertRefused(v -> a.table("tn").set(0, v), own, "only value is null");
      assertRefused(a.global("imm")::set, Val.nullRef(ValType.EXNREF), "immutable");
      assertEquals(1, thrownPayload(a, "rethrow-global"), "no refused write changed the global");
      assertTrue(table.get(0).isNull(), "no refused write changed the table");
      assertEquals(2, table.size(), "no refused grow grew it");
      a.global("n").set(Val.nullRef(ValType.EXNREF));
    }
  }

  private static void assertRefused(Consumer<Val> write, Val value, String fragment) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> write.accept(value));
    assertTrue(e instanceof IllegalArgumentException || e instanceof IllegalStateException, e.toString());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  /**
   * Import matching by 3.0 subtyping: a mutable global's type and a table's element type must be
   * equal (exnref and (ref null exn) are one type), an immutable global's a supertype of the
   * export's; mutability must agree.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void importsMatchByTheExnHierarchysSubtyping(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Linker linker = new Linker(store);
      linker.instance("a", instantiate(linker, engine, EXPORTER));
      for (String accepted : List.of("(global (import \"a\" \"g\") (mut (ref null exn)))",
          "(global (import \"a\" \"imm\") exnref)", "(global (import \"a\" \"immnull\") exnref)",
          "(global (import \"a\" \"immnull\") nullexnref)", "(global (import \"a\" \"n\") (mut nullexnref))",
          "(table (import \"a\" \"t\") 1 exnref)", "(table (import \"a\" \"tn\") 1 (ref null noexn))")) {
        instantiate(linker, engine, "(module " + accepted + ")");
      }
      for (String refused : List.of("(global (import \"a\" \"g\") exnref)", "(global (import \"a\" \"imm\") (mut exnref))",
          "(global (import \"a\" \"n\") (mut exnref))", "(global (import \"a\" \"g\") (mut nullexnref))",
          "(global (import \"a\" \"imm\") nullexnref)", "(global (import \"a\" \"imm\") (ref exn))",
          "(global (import \"a\" \"imm\") anyref)", "(global (import \"a\" \"imm\") externref)",
          "(table (import \"a\" \"t\") 1 nullexnref)", "(table (import \"a\" \"tn\") 1 exnref)",
          "(table (import \"a\" \"t\") 1 anyref)", "(table (import \"a\" \"t\") 1 funcref)")) {
        RuntimeException e = assertThrows(RuntimeException.class,
            () -> instantiate(linker, engine, "(module " + refused + ")"), refused);
        assertTrue(e.getMessage().contains("incompatible") || e.getMessage().contains("type"), refused + ": " + e.getMessage());
      }
    }
  }

  /**
   * A global or table of another store is no import: its exception objects live in that store's
   * heap, which this store's code and collector know nothing of.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void anotherStoresExnSlotsAreNoImports(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine); Store other = new Store(engine)) {
      Instance foreign = instantiate(new Linker(other), engine, EXPORTER);
      Linker linker = new Linker(store).define("a", "g", foreign.global("g")).define("a", "t", foreign.table("t"));
      for (String module : List.of("(module (global (import \"a\" \"g\") (mut exnref)))",
          "(module (table (import \"a\" \"t\") 2 exnref))")) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> instantiate(linker, engine, module), module);
        assertTrue(e.getMessage().contains("not to the importer's store"), e.getMessage());
      }
    }
  }
}
