package dev.kiln.wat.binary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The instructions of WebAssembly 3.0 by text name, read once from the data file {@code
 * instructions.txt} beside this class (one instruction per line), so the table is data rather than
 * code and adding an instruction is adding a line.
 */
public final class InstructionTable {
  private static final Map<String, Instruction> BY_NAME = load();

  private InstructionTable() {}

  /** The instruction named {@code name} in the text format, if there is one. */
  public static Optional<Instruction> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  /** The instruction named {@code name}; for callers building code with names they know exist. */
  public static Instruction get(String name) {
    Instruction instruction = BY_NAME.get(name);
    if (instruction == null) {
      throw new IllegalArgumentException("no instruction named " + name);
    }
    return instruction;
  }

  /** Every instruction, by name. */
  public static Map<String, Instruction> all() {
    return BY_NAME;
  }

  private static Map<String, Instruction> load() {
    Map<String, Instruction> table = new HashMap<>();
    try (InputStream in = InstructionTable.class.getResourceAsStream("instructions.txt")) {
      if (in == null) {
        throw new IllegalStateException("instructions.txt is missing from the class path");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      int lineNumber = 0;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        if (f.length < 4) {
          throw new IllegalStateException("instructions.txt:" + lineNumber + ": too few columns");
        }
        int prefix = f[1].equals("-") ? 0 : Integer.parseInt(f[1], 16);
        int code = Integer.decode(f[2]);
        Shape shape = Shape.valueOf(f[3]);
        int alignment = f.length > 4 ? Integer.parseInt(f[4]) : -1;
        Instruction row = new Instruction(f[0], prefix, code, shape, alignment);
        if (table.put(row.name(), row) != null) {
          throw new IllegalStateException("instructions.txt:" + lineNumber + ": " + row.name() + " twice");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(table);
  }
}
