package dev.kiln.tests.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.loader.runtime.GcStress;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tag;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.Val;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmThrow;
import dev.kiln.wat.Wat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A reference of a concrete struct or array type that a block leaves on the operand stack (a
 * {@code br} to the block, an {@code if}'s arms, a {@code try_table} clause catching a guest's or a
 * host's throw into it) is a GC root at the calls after the block: the debug mode ({@link GcStress})
 * collects once in {@code $churn} (its one allocation), so an object the frame does not hold is left
 * at its old address, in the semispace that collection zeroed. A single-result block's type was
 * taken as its representation (a concrete reference is represented as a funcref word), so its
 * merge value was not marked a reference and was spilled at no safepoint (GcApiFuzzTest seed
 * 1734566301: {@code viathrow} caught a host's struct into a {@code (result (ref null $base))} block,
 * then called {@code $churn} and read a stale word). A block of an abstract type ({@code anyref}) was
 * right, its representation being a GC reference too.
 */
class CaughtReferenceAcrossCollectionTest {
  private static final String WAT = """
      (module
        (type $s (struct (field i64)))
        (type $a (array i64))
        (import "host" "throw" (func $hthrow))
        (tag $t (export "t") (param (ref null $s)))
        (func $churn (drop (struct.new $s (i64.const 1))))
        (func (export "make") (result anyref) (struct.new $s (i64.const 42)))
        (func (export "branch") (result i64)
          (block $h (result (ref null $s))
            (br $h (struct.new $s (i64.const 42))))
          (call $churn)
          (struct.get $s 0))
        (func (export "if") (param i32) (result i64)
          (if (result (ref $a)) (local.get 0)
            (then (array.new $a (i64.const 42) (i32.const 1)))
            (else (array.new $a (i64.const 43) (i32.const 1))))
          (call $churn)
          (array.get $a (i32.const 0)))
        (func (export "guest-throw") (result i64)
          (block $h (result (ref null $s))
            (try_table (catch $t $h) (throw $t (struct.new $s (i64.const 42))))
            (return (i64.const -7)))
          (call $churn)
          (struct.get $s 0))
        (func (export "host-throw") (result i64)
          (block $h (result (ref null $s))
            (try_table (catch $t $h) (call $hthrow))
            (return (i64.const -7)))
          (call $churn)
          (struct.get $s 0)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void aBlockResultBranchedToIsHeldAcrossACall(Target target) {
    assertEquals(42, run(target, "branch", List.of()));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anIfResultIsHeldAcrossACall(Target target) {
    assertEquals(42, run(target, "if", List.of(Val.i32(1))));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aGuestThrowCaughtIntoABlockIsHeldAcrossACall(Target target) {
    assertEquals(42, run(target, "guest-throw", List.of()));
  }

  /** The fuzzer's finding: a struct Java holds, thrown by a host function and caught into a block. */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostThrowCaughtIntoABlockIsHeldAcrossACall(Target target) {
    assertEquals(42, run(target, "host-throw", List.of()));
  }

  /** Calls {@code export} in a store made with the debug mode on; its i64 result. */
  private static long run(Target target, String export, List<Val> args) {
    Engine engine = Engine.builder().target(target).build();
    WasmModule module = WasmModule.compile(engine, Wat.toBinary(WAT, "caught.wat"));
    System.setProperty(GcStress.PROPERTY, "true");
    try (Store store = new Store(engine)) {
      Linker linker = new Linker(store);
      Tag[] tag = new Tag[1];
      Val[] payload = new Val[1];
      linker.func("host", "throw", FuncType.of(List.of(), List.of()), (caller, hostArgs) -> {
        throw new WasmThrow(tag[0], List.of(payload[0]));
      });
      Instance instance = linker.instantiate(module);
      tag[0] = instance.tag("t");
      payload[0] = instance.func("make").call().getFirst();
      return ((Val.I64) instance.func(export).call(args.toArray(Val[]::new)).getFirst()).value();
    } finally {
      System.clearProperty(GcStress.PROPERTY);
    }
  }
}
