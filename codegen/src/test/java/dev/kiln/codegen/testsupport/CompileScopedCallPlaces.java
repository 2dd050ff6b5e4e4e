package dev.kiln.codegen.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.Backend;
import dev.kiln.ir.text.Parser;
import java.util.function.ToIntFunction;

/**
 * The check every ISA's backend passes: the call places it keeps are keyed by signatures a module
 * chooses, which may be hostile, so a backend that outlives compiles (an engine's) keeps none, and
 * the one a compile makes for itself ({@link Backend#forOneCompile}) keeps its module's and dies
 * with it.
 */
public final class CompileScopedCallPlaces {
  private static final String IDENTITY = """
      function u0:0(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
      block0(v0: i64, v1: i64, v2: i64):
          @0010 return v2
      }
      """;

  private CompileScopedCallPlaces() {}

  /** Asserts the scope of {@code shared}'s call places, read through {@code keptCallPlaces}. */
  public static <B extends Backend> void check(B shared, ToIntFunction<B> keptCallPlaces) {
    shared.compileFunction(Parser.parseFunction(IDENTITY));
    assertEquals(0, keptCallPlaces.applyAsInt(shared));
    @SuppressWarnings("unchecked")
    B oneCompile = (B) shared.forOneCompile();
    oneCompile.compileFunction(Parser.parseFunction(IDENTITY));
    oneCompile.compileFunction(Parser.parseFunction(IDENTITY));
    assertEquals(1, keptCallPlaces.applyAsInt(oneCompile), "its functions share the signature's places");
    assertEquals(0, keptCallPlaces.applyAsInt(shared));
    @SuppressWarnings("unchecked")
    B next = (B) shared.forOneCompile();
    assertEquals(0, keptCallPlaces.applyAsInt(next), "the next compile starts empty");
  }
}
