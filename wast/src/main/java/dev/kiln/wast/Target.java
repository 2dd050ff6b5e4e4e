package dev.kiln.wast;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The instruction set a script's modules are compiled for. Recorded with every run; decoding and
 * validation do not depend on it, the compiler and loader will.
 */
public enum Target {
  X86_64("x86_64"),
  AARCH64("aarch64");

  private final String cliName;

  Target(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in reports. */
  public String cliName() {
    return cliName;
  }

  /** Parses a command-line name ({@code x86_64} or {@code aarch64}). */
  public static Target parse(String name) {
    for (Target t : values()) {
      if (t.cliName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown target '" + name + "' (expected one of "
        + Arrays.stream(values()).map(Target::cliName).collect(Collectors.joining(", ")) + ")");
  }

  @Override
  public String toString() {
    return cliName;
  }
}
