package dev.kiln.wasm.validate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.decode.Decoder;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bodies validated on several threads give the one-thread outcome: the error of the lowest-indexed
 * invalid body, wherever the invalid bodies lie among the threads' runs, and none when all are valid.
 */
class ParallelBodyValidationTest {
  private static final int FUNCTIONS = 1000;
  /** FUNCTIONS functions of type (i32) -> i32: function 0 valid, function 1 not (an i64 result). */
  private static final Module MODULE = module();
  private static final ValidationContext CONTEXT = Validator.context(MODULE, Features.ALL);
  private static final FunctionBody VALID = MODULE.code().get(0);
  private static final FunctionBody INVALID = MODULE.code().get(1);

  private static Module module() {
    StringBuilder wat = new StringBuilder("(module\n");
    wat.append("  (func (param i32) (result i32) local.get 0 i32.const 1 i32.add)\n");
    wat.append("  (func (param i32) (result i32) i64.const 1)\n");
    for (int i = 2; i < FUNCTIONS; i++) {
      wat.append("  (func (param i32) (result i32) local.get 0)\n");
    }
    return Decoder.decode(Wat.toBinary(wat.append(")").toString(), "bodies.wat"));
  }

  /** FUNCTIONS bodies, all valid but those at {@code invalid}. */
  private static List<FunctionBody> bodies(int... invalid) {
    List<FunctionBody> code = new ArrayList<>();
    for (int i = 0; i < FUNCTIONS; i++) {
      code.add(VALID);
    }
    for (int i : invalid) {
      code.set(i, INVALID);
    }
    return code;
  }

  private static InvalidException serialError(List<FunctionBody> code) {
    return assertThrows(InvalidException.class, () -> {
      FunctionValidator validator = new FunctionValidator(CONTEXT);
      for (int i = 0; i < code.size(); i++) {
        validator.validate(i, code.get(i));
      }
    });
  }

  @Test
  void theLowestInvalidBodyIsReportedWhereverTheInvalidBodiesLie() {
    int run = ParallelBodyValidation.RUN;
    int[][] cases = {
        {0}, {FUNCTIONS - 1}, {run - 1, run}, {run, run - 1}, {3 * run + 5, 3 * run + 7}, {900, 17},
        {2 * run, 9 * run, FUNCTIONS - 1},
    };
    Random random = new Random(40);
    List<int[]> all = new ArrayList<>(List.of(cases));
    for (int k = 0; k < 20; k++) {
      all.add(new int[] {random.nextInt(FUNCTIONS), random.nextInt(FUNCTIONS), random.nextInt(FUNCTIONS)});
    }
    for (int[] invalid : all) {
      List<FunctionBody> code = bodies(invalid);
      InvalidException expected = serialError(code);
      for (int threads : new int[] {2, 3, 8}) {
        InvalidException e = assertThrows(InvalidException.class,
            () -> ParallelBodyValidation.validate(code, 0, CONTEXT, threads));
        assertEquals(expected.getMessage(), e.getMessage(), threads + " threads");
        assertEquals(Arrays.stream(invalid).min().orElseThrow(), e.functionIndex());
      }
    }
  }

  @Test
  void validBodiesValidateOnAnyNumberOfThreads() {
    for (int threads : new int[] {1, 2, 5}) {
      assertDoesNotThrow(() -> ParallelBodyValidation.validate(bodies(), 0, CONTEXT, threads));
    }
  }

  @Test
  void aSpentDeadlineEndsTheWorkAndNoThreadOutlivesTheCall() {
    CompileDeadline spent = CompileDeadline.after(Duration.ZERO);
    for (int round = 0; round < 20; round++) {
      assertThrows(CompileTimeoutException.class,
          () -> spent.call(() -> {
            ParallelBodyValidation.validate(bodies(), 0, CONTEXT, 4);
            return null;
          }));
      assertEquals(List.of(), validationThreads());
    }
    assertDoesNotThrow(() -> ParallelBodyValidation.validate(bodies(), 0, CONTEXT, 4));
    assertEquals(List.of(), validationThreads());
  }

  @Test
  void noMoreThreadsThanRunsOfBodies() {
    int run = ParallelBodyValidation.RUN;
    assertEquals(0, ParallelBodyValidation.helperThreads(run, 64), "one run: the caller alone");
    assertEquals(1, ParallelBodyValidation.helperThreads(run + 1, 64));
    assertEquals(7, ParallelBodyValidation.helperThreads(100_000, 8));
    assertEquals(0, ParallelBodyValidation.helperThreads(100_000, 1));
  }

  private static List<String> validationThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.equals("kiln-validate")).toList();
  }

  @Test
  void aModuleWithAMebibyteOfBodiesGivesTheSerialErrorOnTwoThreads() {
    // Through Validator, whose threads start at PARALLEL_BODY_BYTES of bodies: 2,000 functions of
    // about 550 bytes, the first invalid one at 1,500.
    StringBuilder wat = new StringBuilder("(module\n");
    String sum = " local.get 0" + " i32.const 1000000 i32.add".repeat(110);
    for (int i = 0; i < 2000; i++) {
      wat.append("  (func (param i32) (result i32)").append(sum).append(i == 1500 || i == 1900 ? " drop)\n" : ")\n");
    }
    Module m = Decoder.decode(Wat.toBinary(wat.append(")").toString(), "large.wat"));
    long bytes = m.code().stream().mapToLong(b -> b.codeEnd() - b.bodyStart()).sum();
    assertTrue(bytes >= Validator.PARALLEL_BODY_BYTES, bytes + " bytes of bodies");
    InvalidException serial = assertThrows(InvalidException.class, () -> Validator.validate(m, Features.ALL, 1));
    InvalidException parallel = assertThrows(InvalidException.class, () -> Validator.validate(m, Features.ALL, 2));
    assertEquals(serial.getMessage(), parallel.getMessage());
    assertEquals(1500, parallel.functionIndex());
  }
}
