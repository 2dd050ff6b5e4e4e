package dev.kiln.emulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The host process's own mappings, from Linux {@code /proc/self/maps} (proc(5): one line per VMA,
 * {@code start-end perms offset dev inode path}, addresses in hex). The emulator asks before it
 * maps host memory into the guest: Unicorn reads and writes a mapped range through the host
 * pointer, so a range the host has not mapped readable would fault in the JVM instead of in the
 * emulator.
 */
final class HostMappings {
  private static final Path MAPS = Path.of("/proc/self/maps");

  private HostMappings() {}

  /** One mapping: {@code [start, end)} and whether it is readable, writable and executable. */
  record Mapping(long start, long end, boolean readable, boolean writable, boolean executable) {
    boolean contains(long address) {
      return Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0;
    }
  }

  /** The mapping containing {@code address}, if any. */
  static Optional<Mapping> containing(long address) {
    try (BufferedReader reader = Files.newBufferedReader(MAPS, StandardCharsets.US_ASCII)) {
      String line;
      while ((line = reader.readLine()) != null) {
        Mapping mapping = parse(line);
        if (mapping.contains(address)) {
          return Optional.of(mapping);
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + MAPS, e);
    }
  }

  /** Parses one line of {@code /proc/self/maps}. */
  static Mapping parse(String line) {
    int dash = line.indexOf('-');
    int space = line.indexOf(' ', dash);
    long start = Long.parseUnsignedLong(line, 0, dash, 16);
    long end = Long.parseUnsignedLong(line, dash + 1, space, 16);
    return new Mapping(start, end, line.charAt(space + 1) == 'r', line.charAt(space + 2) == 'w',
        line.charAt(space + 3) == 'x');
  }
}
