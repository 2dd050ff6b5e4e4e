package dev.kiln.wasm.decode;

import dev.kiln.wasm.Features;

import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.LocalDecl;
import dev.kiln.wasm.types.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of the code section (spec 5.5.13) after its size field: the local declarations, run
 * length encoded as written, then the instructions up to the function's final {@code end}.
 */
final class CodeDecoder {
  /** Spec 5.5.13: the total number of locals must be below 2^32. */
  private static final long MAX_LOCALS = 0xFFFF_FFFFL;

  private CodeDecoder() {}

  /**
   * Reads a body whose size field started at {@code bodyStart}; the caller compares where it ended
   * with the size.
   */
  static FunctionBody body(ByteCursor in, int bodyStart, InstructionScanner scanner, Features features) {
    List<LocalDecl> locals = locals(in, features);
    int codeStart = in.position();
    int codeEnd = scanner.scanBody(in.bytes(), codeStart, in.limit());
    in.seek(codeEnd);
    return new FunctionBody(locals, in.bytes(), bodyStart, codeStart, codeEnd);
  }

  /**
   * Reads a body as {@link #body} does but leaves its instructions unread: they are taken to run from
   * the end of the local declarations to {@code bodyEnd}, where its size says the body ends
   * ({@link Decoder#decodeUnscanned}).
   */
  static FunctionBody unscannedBody(ByteCursor in, int bodyStart, int bodyEnd, Features features) {
    List<LocalDecl> locals = locals(in, features);
    int codeStart = in.position();
    if (codeStart > bodyEnd) {
      throw in.error("section size mismatch", bodyStart);
    }
    in.seek(bodyEnd);
    return new FunctionBody(locals, in.bytes(), bodyStart, codeStart, bodyEnd);
  }

  /** The local declarations at the cursor, run length encoded as written. */
  private static List<LocalDecl> locals(ByteCursor in, Features features) {
    int declsAt = in.position();
    int n = in.len32();
    List<LocalDecl> locals = n == 0 ? List.of() : new ArrayList<>(ByteCursor.initialCapacity(n));
    long total = 0;
    for (int i = 0; i < n; i++) {
      long count = Integer.toUnsignedLong(in.u32());
      ValueType type = TypeDecoder.valueType(in, features);
      total += count;
      locals.add(new LocalDecl(count, type));
    }
    if (total > MAX_LOCALS) {
      throw in.error("too many locals", declsAt);
    }
    return locals;
  }
}
