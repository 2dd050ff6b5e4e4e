package dev.kiln.wasm.module;

import java.util.List;

/**
 * One entry of the code section (spec 5.5.13): local declarations as written (run-length, so a
 * module cannot make us allocate billions of locals before validation rejects it) and the
 * instruction bytes {@code source[codeStart, codeEnd)}, ending with the function's final {@code end}.
 *
 * @param bodyStart module offset of the body's size field's first byte, the offset spec tools
 *     report for the function as a whole
 */
public record FunctionBody(List<LocalDecl> locals, byte[] source, int bodyStart, int codeStart, int codeEnd) {
  public FunctionBody {
    locals = List.copyOf(locals);
  }

  /** Total number of declared locals (excluding parameters); a long because it may overflow u32. */
  public long localCount() {
    long n = 0;
    for (LocalDecl d : locals) {
      n += d.count();
    }
    return n;
  }
}
