package dev.kiln.tests.types;

import static dev.kiln.tests.support.Invocations.call;
import static dev.kiln.tests.support.Invocations.trap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.ImportLinkException;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.table.TableInstance;
import dev.kiln.artifact.info.ValType;
import dev.kiln.tests.support.Artifacts;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Typed function references crossing modules and {@code call_indirect} (WebAssembly 3.0 spec 4.5.2
 * "Import matching", 4.4.8.7), on both targets, lazy and strict tables. Each attack is what a module
 * would write to get a function of the wrong type into a {@code call_ref}, which trusts a
 * reference's static type: the exporter's {@code $a} and {@code $b} have one representation ({@code
 * [] -> [i32]}), so only canonical runtime type ids (and their supertype displays) tell them apart.
 */
class TypedReferenceLinkingTest {
  /** Two distinct types of one shape (a rec group keeps them apart), and a subtype chain. */
  private static final String TYPES = """
      (rec (type $a (sub (func (result i32)))) (type $b (sub (func (result i32)))))
      (type $sub (sub $a (func (result i32))))
      (type $subsub (sub $sub (func (result i32))))
      """;

  private static final String EXPORTER = "(module " + TYPES + """
        (func $fa (export "fa") (type $a) (i32.const 1))
        (func $fb (export "fb") (type $b) (i32.const 2))
        (func $fsub (export "fsub") (type $sub) (i32.const 3))
        (func $fsubsub (export "fsubsub") (type $subsub) (i32.const 4))
        (global (export "gsub") (ref $sub) (ref.func $fsub))
        (global (export "gnull") (mut (ref null $a)) (ref.null $a))
        (table (export "tsub") 2 (ref null $sub))
        (elem declare func $fsub)
        (func (export "take_a") (param $r (ref $a)) (result i32) (call_ref $a (local.get $r)))
        (func (export "take_null_sub") (param $r (ref null $sub)) (result i32)
          (if (result i32) (ref.is_null (local.get $r)) (then (i32.const -1)) (else (call_ref $sub (local.get $r)))))
        (global (export "gmut") (mut (ref null $sub)) (ref.null $sub))
        (table (export "tmut") 1 (ref null $sub))
        (func (export "call_a") (param $i i32) (result i32) (call_indirect $t (type $a) (local.get $i)))
        (func (export "call_sub") (param $i i32) (result i32) (call_indirect $t (type $sub) (local.get $i)))
        (func (export "call_subsub") (param $i i32) (result i32) (call_indirect $t (type $subsub) (local.get $i)))
        (func (export "tail_sub") (param $i i32) (result i32) (return_call_indirect $t (type $sub) (local.get $i)))
        (table $t 4 funcref)
        (elem (table $t) (i32.const 0) func $fa $fb $fsub $fsubsub)
        (func (export "set") (param $i i32) (table.set $t (local.get $i) (ref.null func)))
        (tag (export "ta") (param (ref null $a))))
      """;

  static Stream<Arguments> targetsAndTableSettings() {
    return Stream.of(Target.values()).flatMap(t -> Stream.of(Arguments.of(t, true), Arguments.of(t, false)));
  }

  @ParameterizedTest(name = "{0} lazy={1}")
  @MethodSource("targetsAndTableSettings")
  void callIndirectAcceptsTheExpectedTypeAndItsSubtypesAndNothingElse(Target target, boolean lazy) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    try (NativeStore store = new NativeStore(); LoadedModule module = load(EXPORTER, target, lazy);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      // slot 0 $fa: $a; slot 1 $fb: $b (same shape, other type); slot 2 $sub <: $a; slot 3 $subsub <: $sub
      assertEquals(1, call(instance, "call_a", 0));
      assertEquals(3, call(instance, "call_a", 2), "a subtype is accepted (display hit)");
      assertEquals(4, call(instance, "call_a", 3), "a subtype two levels down is accepted");
      assertEquals(TrapCode.BAD_SIGNATURE, trap(instance, "call_a", 1), "$b has $a's shape but is not $a");
      assertEquals(3, call(instance, "call_sub", 2));
      assertEquals(4, call(instance, "call_sub", 3));
      assertEquals(4, call(instance, "tail_sub", 3));
      assertEquals(TrapCode.BAD_SIGNATURE, trap(instance, "call_sub", 0), "a supertype is not a subtype");
      assertEquals(TrapCode.BAD_SIGNATURE, trap(instance, "tail_sub", 1));
      assertEquals(TrapCode.BAD_SIGNATURE, trap(instance, "call_subsub", 2), "display shorter than the depth");
      assertEquals(4, call(instance, "call_subsub", 3));
    }
  }

  @ParameterizedTest(name = "{0} lazy={1}")
  @MethodSource("targetsAndTableSettings")
  void aFunctionImportedAsItsSupertypeIsAcceptedAndCallsThroughItsOwnType(Target target, boolean lazy) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    // The importer defines the same types (iso-recursive: the same canonical types), imports $fsub
    // as $a and puts it in a table: call_indirect of $sub must still find it (it is of type $sub).
    String importer = "(module " + TYPES + """
          (import "m" "f" (func $f (type $a)))
          (table $t 1 funcref)
          (elem (table $t) (i32.const 0) func $f)
          (func (export "as_sub") (result i32) (call_indirect $t (type $sub) (i32.const 0)))
          (func (export "as_subsub") (result i32) (call_indirect $t (type $subsub) (i32.const 0))))
        """;
    try (NativeStore store = new NativeStore(); LoadedModule exporter = load(EXPORTER, target, lazy);
        LoadedModule importing = load(importer, target, lazy);
        LoadedInstance a = LoadedInstance.instantiate(exporter, store);
        LoadedInstance b = LoadedInstance.instantiate(importing, store, List.of(a.export("fsub").orElseThrow()))) {
      assertEquals(3, call(b, "as_sub"));
      assertEquals(TrapCode.BAD_SIGNATURE, trap(b, "as_subsub"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void importsMatchBySubtypingAndRefuseEverythingElse(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    try (NativeStore store = new NativeStore(); LoadedModule exporter = load(EXPORTER, target, true)) {
      LoadedInstance a = LoadedInstance.instantiate(exporter, store);
      List<LoadedModule> opened = new ArrayList<>();
      try {
        accepted(store, target, opened, a, "fsub", "(func (type $sub))");
        accepted(store, target, opened, a, "fsub", "(func (type $a))");
        accepted(store, target, opened, a, "fsubsub", "(func (type $a))");
        accepted(store, target, opened, a, "gsub", "(global (ref $a))");
        accepted(store, target, opened, a, "gsub", "(global (ref null func))");
        accepted(store, target, opened, a, "gnull", "(global (mut (ref null $a)))");
        accepted(store, target, opened, a, "tsub", "(table 2 (ref null $sub))");
        refused(store, target, opened, a, "fb", "(func (type $a))"); // one shape, another type
        refused(store, target, opened, a, "fa", "(func (result i32))"); // $a is not the final [] -> [i32]
        refused(store, target, opened, a, "fa", "(func (type $sub))"); // a supertype for a subtype
        refused(store, target, opened, a, "fsub", "(func (type $subsub))");
        refused(store, target, opened, a, "gsub", "(global (ref $subsub))");
        refused(store, target, opened, a, "gsub", "(global (mut (ref $sub)))");
        refused(store, target, opened, a, "gnull", "(global (mut (ref null $sub)))"); // mutable: invariant
        refused(store, target, opened, a, "gnull", "(global (mut (ref null func)))");
        refused(store, target, opened, a, "tsub", "(table 2 (ref null $a))"); // tables are invariant
        refused(store, target, opened, a, "tsub", "(table 2 funcref)");
        // a tag matches an equal type (spec 3.0 4.5.2), compared canonically: $b has $a's representation
        accepted(store, target, opened, a, "ta", "(tag (param (ref null $a)))");
        refused(store, target, opened, a, "ta", "(tag (param (ref null $b)))");
        refused(store, target, opened, a, "ta", "(tag (param funcref))");
      } finally {
        opened.forEach(LoadedModule::close);
        a.close();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void functionReferencesFromTheHostAreCheckedAgainstTheDeclaredType(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    try (NativeStore store = new NativeStore(); LoadedModule module = load(EXPORTER, target, true);
        LoadedInstance a = LoadedInstance.instantiate(module, store)) {
      WasmValue fa = funcref(a, "fa");
      WasmValue fb = funcref(a, "fb");
      WasmValue fsub = funcref(a, "fsub");
      WasmValue nothing = new WasmValue.Ref(ValType.FUNCREF, 0);
      assertEquals(1, a.invoke("take_a", List.of(fa)).getFirst().bits());
      assertEquals(3, a.invoke("take_a", List.of(fsub)).getFirst().bits(), "a subtype");
      // $fb has $a's shape: without the check call_ref would run it as an $a
      assertThrows(IllegalArgumentException.class, () -> a.invoke("take_a", List.of(fb)));
      assertThrows(IllegalArgumentException.class, () -> a.invoke("take_a", List.of(nothing)), "non-nullable");
      assertThrows(IllegalArgumentException.class, () -> a.function("take_a").call(fb));
      assertThrows(IllegalArgumentException.class, () -> a.function("take_a").call(nothing));
      assertEquals(3, a.function("take_null_sub").call(fsub).getFirst().bits());
      assertEquals(-1, (int) a.function("take_null_sub").call(nothing).getFirst().bits());
      assertThrows(IllegalArgumentException.class, () -> a.function("take_null_sub").call(fa), "a supertype");
      GlobalInstance g = ((Extern.Global) a.export("gmut").orElseThrow()).global();
      g.set(fsub);
      assertThrows(IllegalArgumentException.class, () -> g.set(fa));
      TableInstance t = ((Extern.Table) a.export("tmut").orElseThrow()).table();
      t.set(0, fsub.bits());
      assertThrows(IllegalArgumentException.class, () -> t.set(0, fb.bits()));
    }
  }

  private static WasmValue funcref(LoadedInstance instance, String name) {
    return new WasmValue.Ref(ValType.FUNCREF, instance.function(name).funcRefAddress());
  }

  static Stream<Target> targets() {
    return Stream.of(Target.values());
  }

  /**
   * An immutable global of a concrete struct or array type, or of nullref, imports as any supertype
   * (spec 3.0 4.5.2), although the artifact represents those types as a funcref and anyref as an
   * externref (red team 15 F2: refused); the importer reads the exporter's struct through it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void anImmutableObjectGlobalImportsAsItsSupertypes(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
    String types = "(type $s (sub (struct (field i32)))) (type $arr (array i8))";
    String exporter = "(module " + types + """
          (global (export "gs") (ref null $s) (struct.new $s (i32.const 42)))
          (global (export "ga") (ref null $arr) (array.new_default $arr (i32.const 3)))
          (global (export "gn") nullref (ref.null none))
          (global (export "gsm") (mut (ref null $s)) (ref.null $s)))
        """;
    String read = "(func (export \"read\") (result i32) (struct.get $s 0 (ref.cast (ref $s) (global.get 0))))";
    try (NativeStore store = new NativeStore(); LoadedModule exported = load(exporter, target, true)) {
      LoadedInstance a = LoadedInstance.instantiate(exported, store);
      List<LoadedModule> opened = new ArrayList<>();
      try {
        for (String desc : List.of("(global anyref)", "(global eqref)", "(global structref)", "(global (ref null $s))")) {
          LoadedModule m = load("(module " + types + "(import \"m\" \"gs\" " + desc + ")" + read + ")", target, true);
          opened.add(m);
          try (LoadedInstance b = LoadedInstance.instantiate(m, store, List.of(a.export("gs").orElseThrow()))) {
            assertEquals(42, b.invoke("read").getFirst().bits(), "gs as " + desc);
          }
        }
        for (String[] pair : new String[][] {{"ga", "(global arrayref)"}, {"gn", "(global (ref null $s))"},
            {"gn", "(global (ref null $arr))"}}) {
          LoadedModule m = load("(module " + types + "(import \"m\" \"" + pair[0] + "\" " + pair[1] + "))", target, true);
          opened.add(m);
          LoadedInstance.instantiate(m, store, List.of(a.export(pair[0]).orElseThrow())).close();
        }
        for (String[] pair : new String[][] {{"gs", "(global arrayref)"}, {"gs", "(global (ref null $arr))"},
            {"gs", "(global funcref)"}, {"gs", "(global externref)"}, {"gs", "(global (ref $s))"},
            {"gsm", "(global (mut anyref))"},
            {"gsm", "(global (ref null $s))"}}) {
          LoadedModule m = load("(module " + types + "(import \"m\" \"" + pair[0] + "\" " + pair[1] + "))", target, true);
          opened.add(m);
          Extern extern = a.export(pair[0]).orElseThrow();
          ImportLinkException e = assertThrows(ImportLinkException.class,
              () -> LoadedInstance.instantiate(m, store, List.of(extern)), pair[0] + " as " + pair[1]);
          assertTrue(e.getMessage().startsWith(ImportLinkException.INCOMPATIBLE_IMPORT_TYPE), e.getMessage());
        }
      } finally {
        opened.forEach(LoadedModule::close);
        a.close();
      }
    }
  }

  private static LoadedModule importing(Target target, String name, String desc) {
    return load("(module " + TYPES + "(import \"m\" \"" + name + "\" " + desc + "))", target, true);
  }

  private static void accepted(NativeStore store, Target target, List<LoadedModule> opened, LoadedInstance a,
      String name, String desc) {
    LoadedModule m = importing(target, name, desc);
    opened.add(m);
    LoadedInstance.instantiate(m, store, List.of(a.export(name).orElseThrow())).close();
  }

  private static void refused(NativeStore store, Target target, List<LoadedModule> opened, LoadedInstance a,
      String name, String desc) {
    LoadedModule m = importing(target, name, desc);
    opened.add(m);
    Extern extern = a.export(name).orElseThrow();
    ImportLinkException e = assertThrows(ImportLinkException.class,
        () -> LoadedInstance.instantiate(m, store, List.of(extern)), name + " as " + desc);
    assertTrue(e.getMessage().startsWith(ImportLinkException.INCOMPATIBLE_IMPORT_TYPE), e.getMessage());
  }

  static LoadedModule load(String wat, Target target, boolean lazy) {
    return LoadedModule.fromBytes(Artifacts.fromWat(wat, Artifacts.backend(target),
        CompileOptions.defaults().withTableLazyInit(lazy)), null);
  }
}
