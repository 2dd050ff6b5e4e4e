package dev.kiln.compiler.driver;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.wasm.module.NameSection;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code .kiln.names} section: the module name and function names from the wasm "name" section
 * (spec 7.4.1), kept apart from module info so a loader that never prints a backtrace never touches
 * it. Little-endian:
 *
 * <pre>
 *   u32 moduleNameLength (0xFFFFFFFF = no module name), UTF-8 bytes
 *   u32 count, count x { u32 function index, u32 length, UTF-8 bytes }   indices strictly increasing
 * </pre>
 *
 * Function indices are in the wasm function index space (imports first), so names of imported
 * functions are kept too. Local names are not stored.
 *
 * @param moduleName the module's name, if the name section has one
 * @param functionNames names by function index
 */
public record NamesSection(Optional<String> moduleName, Map<Integer, String> functionNames) {
  private static final String SECTION = ".kiln.names";
  private static final int NO_NAME = -1;

  public NamesSection {
    functionNames = Collections.unmodifiableSortedMap(new TreeMap<>(functionNames));
  }

  public static NamesSection of(NameSection names) {
    return new NamesSection(names.moduleName(), names.functionNames());
  }

  public byte[] encode() {
    int size = 8 + moduleName.map(n -> utf8(n).length).orElse(0);
    for (String n : functionNames.values()) {
      size += 8 + utf8(n).length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    if (moduleName.isPresent()) {
      byte[] b = utf8(moduleName.get());
      out.putInt(b.length).put(b);
    } else {
      out.putInt(NO_NAME);
    }
    out.putInt(functionNames.size());
    functionNames.forEach((index, name) -> {
      byte[] b = utf8(name);
      out.putInt(index).putInt(b.length).put(b);
    });
    return out.array();
  }

  /**
   * Reads a section written by {@link #encode}.
   *
   * @throws CorruptArtifactException if a length runs past the end, indices are not increasing, a
   *     name is not UTF-8, or bytes are left over
   */
  public static NamesSection decode(ByteBuffer section) {
    ByteBuffer in = section.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int moduleLength = u32(in, "module name length");
    Optional<String> moduleName = moduleLength == NO_NAME ? Optional.empty() : Optional.of(string(in, moduleLength, "module name"));
    long count = Integer.toUnsignedLong(u32(in, "function name count"));
    if (count > in.remaining() / 8) {
      throw corrupt("function name count " + count + " exceeds the section");
    }
    TreeMap<Integer, String> names = new TreeMap<>();
    long previous = -1;
    for (long i = 0; i < count; i++) {
      long index = Integer.toUnsignedLong(u32(in, "function index"));
      if (index <= previous) {
        throw corrupt("function indices not strictly increasing at " + index);
      }
      previous = index;
      names.put((int) index, string(in, u32(in, "name length"), "function name"));
    }
    if (in.hasRemaining()) {
      throw corrupt(in.remaining() + " unexpected bytes after the last name");
    }
    return new NamesSection(moduleName, names);
  }

  private static int u32(ByteBuffer in, String field) {
    if (in.remaining() < 4) {
      throw corrupt(field + " runs past the end of the section");
    }
    return in.getInt();
  }

  private static String string(ByteBuffer in, int length, String field) {
    if (length < 0 || length > in.remaining()) {
      throw corrupt(field + " length " + Integer.toUnsignedString(length) + " runs past the end of the section");
    }
    ByteBuffer bytes = in.slice(in.position(), length);
    in.position(in.position() + length);
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw corrupt(field + " is not UTF-8");
    }
  }

  private static CorruptArtifactException corrupt(String what) {
    return new CorruptArtifactException(SECTION + ": " + what);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
