package dev.kiln.codegen.aarch64;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.ir.text.Parser;
import org.junit.jupiter.api.Test;

class AArch64BackendTest {
  @Test
  void signaturePlacesLiveOnlyAsLongAsOneCompile() {
    // The places are keyed by signatures a module chooses, which may be hostile: a backend that
    // outlives compiles (an engine's) keeps none; the one a compile makes for itself keeps its
    // module's and dies with it.
    String identity = """
        function u0:0(i64 vmctx, i64 caller_vmctx, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64):
            @0010 return v2
        }
        """;
    AArch64Backend shared = new AArch64Backend(true);
    shared.compileFunction(Parser.parseFunction(identity));
    assertEquals(0, shared.keptCallPlaces());
    AArch64Backend oneCompile = shared.forOneCompile();
    oneCompile.compileFunction(Parser.parseFunction(identity));
    oneCompile.compileFunction(Parser.parseFunction(identity));
    assertEquals(1, oneCompile.keptCallPlaces(), "its functions share the signature's places");
    assertEquals(0, shared.keptCallPlaces());
    assertEquals(0, shared.forOneCompile().keptCallPlaces(), "the next compile starts empty");
  }
}
