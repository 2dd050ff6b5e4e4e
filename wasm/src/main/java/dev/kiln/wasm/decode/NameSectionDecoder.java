package dev.kiln.wasm.decode;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.module.NameSection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The "name" custom section (spec 7.4.1): subsections of id, size and content, of which Kiln keeps
 * the module name (0), function names (1) and local names (2) and skips the others. The spec makes a
 * custom section's content no business of validity, so a malformed name section yields {@link
 * NameSection#EMPTY} instead of an error.
 */
final class NameSectionDecoder {
  private static final int MODULE_NAME = 0;
  private static final int FUNCTION_NAMES = 1;
  private static final int LOCAL_NAMES = 2;

  private NameSectionDecoder() {}

  static NameSection decode(byte[] bytes, int start, int end) {
    try {
      return read(new ByteCursor(bytes, start, end));
    } catch (MalformedException malformed) {
      return NameSection.EMPTY;
    }
  }

  private static NameSection read(ByteCursor in) {
    Optional<String> moduleName = Optional.empty();
    Map<Integer, String> functionNames = Map.of();
    Map<Integer, Map<Integer, String>> localNames = Map.of();
    int lastId = -1;
    while (!in.atEnd()) {
      int at = in.position();
      int id = in.u8();
      if (id <= lastId) {
        throw in.error("name subsections out of order", at); // spec 7.4.1: at most once, in order
      }
      lastId = id;
      int size = in.len32();
      int end = in.position() + size;
      ByteCursor sub = new ByteCursor(in.bytes(), in.position(), end);
      switch (id) {
        case MODULE_NAME -> moduleName = Optional.of(sub.name());
        case FUNCTION_NAMES -> functionNames = nameMap(sub);
        case LOCAL_NAMES -> localNames = indirectNameMap(sub);
        default -> sub.seek(end);
      }
      if (!sub.atEnd()) {
        throw in.error("section size mismatch", at);
      }
      in.seek(end);
    }
    return new NameSection(moduleName, functionNames, localNames);
  }

  /** A name map (spec 7.4.2): a vector of (index, name) with strictly increasing indices. */
  private static Map<Integer, String> nameMap(ByteCursor in) {
    return Collections.unmodifiableMap(indexed(in, ByteCursor::name)); // not Map.copyOf: see NameSection
  }

  /** An indirect name map (spec 7.4.2): (function index, name map of its locals). */
  private static Map<Integer, Map<Integer, String>> indirectNameMap(ByteCursor in) {
    return indexed(in, NameSectionDecoder::nameMap);
  }

  /** A vector of (index, {@code value}) pairs whose indices strictly increase, as both maps are. */
  private static <V> Map<Integer, V> indexed(ByteCursor in, Function<ByteCursor, V> value) {
    int n = in.len32();
    Map<Integer, V> map = new HashMap<>();
    long previous = -1;
    for (int i = 0; i < n; i++) {
      CompileDeadline.pollCounted(Phase.DECODE, i);
      int at = in.position();
      long index = Integer.toUnsignedLong(in.u32());
      if (index <= previous) {
        throw in.error("name map indices out of order", at);
      }
      previous = index;
      map.put((int) index, value.apply(in));
    }
    return map;
  }
}
