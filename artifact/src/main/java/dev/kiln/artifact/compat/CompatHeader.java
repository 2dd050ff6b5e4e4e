package dev.kiln.artifact.compat;

import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.internal.ByteSink;
import dev.kiln.artifact.internal.SectionReader;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an artifact was compiled for and with. Encoded as (docs/cwasm-format.md):
 *
 * <pre>
 *   u32 formatVersion, u8 target, u8 0, u16 0, u32 settingCount,
 *   str kilnVersion, settingCount x (str key, str value)     keys strictly increasing
 *   str = u16 byte length + UTF-8 bytes
 * </pre>
 *
 * The format version covers everything compiled code and the loader agree on (this file's layout,
 * the VMContext layout, calling conventions); a loader refuses any other. The Kiln version is kept
 * for messages and diagnostics.
 *
 * @param formatVersion the artifact format version
 * @param kilnVersion the Kiln release that wrote the artifact
 * @param target the instruction set of {@code .text}
 * @param settings every code-changing setting, by name
 */
public record CompatHeader(int formatVersion, String kilnVersion, Target target, SortedMap<String, String> settings) {
  /** The format version this build reads and writes. */
  public static final int FORMAT_VERSION = 14;

  static final String SECTION = ".kiln.compat";
  private static final int MAX_STRING_BYTES = 0xFFFF;

  public CompatHeader {
    Objects.requireNonNull(kilnVersion, "kilnVersion");
    Objects.requireNonNull(target, "target");
    settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    requireEncodable(kilnVersion);
    settings.forEach((key, value) -> {
      requireEncodable(key);
      requireEncodable(value);
    });
  }

  /**
   * Field by field, as a record's would be, but written out: a record's generated {@code equals}
   * links an invokedynamic bootstrap at its first call, which the JVM's AOT cache does not hold, and
   * every cached {@code kiln run} compares two headers once, in a cold JVM (7 ms of its time).
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof CompatHeader h && formatVersion == h.formatVersion && kilnVersion.equals(h.kilnVersion)
        && target == h.target && settings.equals(h.settings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(formatVersion, kilnVersion, target, settings);
  }

  /** A header of the current format version. */
  public static CompatHeader current(String kilnVersion, Target target, Map<String, String> settings) {
    return new CompatHeader(FORMAT_VERSION, kilnVersion, target, new TreeMap<>(settings));
  }

  private static void requireEncodable(String s) {
    if (s.getBytes(StandardCharsets.UTF_8).length > MAX_STRING_BYTES) {
      throw new IllegalArgumentException("compat header string longer than 65535 bytes: " + s.substring(0, 40) + "...");
    }
  }

  /**
   * Refuses an artifact compiled for another target or with other code-changing settings, naming
   * every mismatch in one message.
   *
   * @throws IncompatibleArtifactException if anything differs
   */
  public void check(Target expectedTarget, Map<String, String> expectedSettings) {
    List<String> problems = new ArrayList<>();
    if (target != expectedTarget) {
      problems.add("compiled for " + target + " but this runtime runs " + expectedTarget);
    }
    TreeSet<String> names = new TreeSet<>(settings.keySet());
    names.addAll(expectedSettings.keySet());
    for (String name : names) {
      String actual = settings.get(name);
      String expected = expectedSettings.get(name);
      if (actual == null) {
        problems.add("setting " + name + " is missing from the artifact (runtime expects \"" + expected + "\")");
      } else if (expected == null) {
        problems.add("setting " + name + "=\"" + actual + "\" is unknown to this runtime");
      } else if (!actual.equals(expected)) {
        problems.add("setting " + name + " is \"" + actual + "\" in the artifact but \"" + expected + "\" in this runtime");
      }
    }
    if (!problems.isEmpty()) {
      throw new IncompatibleArtifactException(
          "incompatible artifact (written by Kiln " + kilnVersion + "): " + String.join("; ", problems));
    }
  }

  /** The encoded section. */
  public byte[] encode() {
    ByteSink out = new ByteSink();
    out.u32(formatVersion).u8(target.code()).u8(0).u16(0).u32(settings.size());
    string(out, kilnVersion);
    settings.forEach((key, value) -> {
      string(out, key);
      string(out, value);
    });
    return out.toByteArray();
  }

  private static void string(ByteSink out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.u16(bytes.length).bytes(bytes);
  }

  /**
   * Reads a header from {@code section}.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException if the bytes do not follow the layout
   * @throws IncompatibleArtifactException if the format version is not {@link #FORMAT_VERSION}
   */
  public static CompatHeader decode(MemorySegment section) {
    SectionReader in = new SectionReader(section, SECTION);
    int formatVersion = in.u32(0, "format version");
    if (formatVersion != FORMAT_VERSION) {
      throw new IncompatibleArtifactException("artifact format version " + Integer.toUnsignedString(formatVersion)
          + ", this runtime reads version " + FORMAT_VERSION + "; recompile the module");
    }
    int targetCode = in.u8(4, "target");
    Target target = Target.fromCode(targetCode).orElseThrow(() -> in.corrupt(4, "unknown target code " + targetCode));
    if (in.u8(5, "reserved") != 0 || in.u16(6, "reserved") != 0) {
      throw in.corrupt(5, "reserved bytes are not zero");
    }
    long settingCount = Integer.toUnsignedLong(in.u32(8, "setting count"));
    long[] position = {12};
    String kilnVersion = readString(in, position, "Kiln version");
    TreeMap<String, String> settings = new TreeMap<>();
    String previous = null;
    for (long i = 0; i < settingCount; i++) {
      if (position[0] >= in.size()) {
        throw in.corrupt(8, "setting count " + settingCount + " runs past the end of the section");
      }
      String key = readString(in, position, "setting name");
      String value = readString(in, position, "setting value");
      if (previous != null && previous.compareTo(key) >= 0) {
        throw in.corrupt(position[0], "setting names not strictly increasing at \"" + key + "\"");
      }
      settings.put(key, value);
      previous = key;
    }
    if (position[0] != in.size()) {
      throw in.corrupt(position[0], (in.size() - position[0]) + " unexpected bytes after the last setting");
    }
    return new CompatHeader(formatVersion, kilnVersion, target, settings);
  }

  private static String readString(SectionReader in, long[] position, String field) {
    int length = in.u16(position[0], field + " length");
    String s = in.utf8(position[0] + 2, length, field);
    position[0] += 2 + length;
    return s;
  }
}
