package dev.kiln.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes as a command-line option writes it: a whole number with an optional binary unit,
 * {@code 65536}, {@code 64KiB}, {@code 64MiB}, {@code 4GiB}, {@code 1TiB} ({@code K}, {@code M},
 * {@code G}, {@code T} are the same units: wasm pages are 64 KiB, so a decimal megabyte would never
 * be a whole number of them).
 */
final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kib|m|mib|g|gib|t|tib)?");

  private ByteSize() {}

  /**
   * The bytes {@code text} says.
   *
   * @param option the option's name, for the message
   * @throws IllegalArgumentException if {@code text} is not a size or does not fit in a long
   */
  static long parse(String option, String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(option + ": \"" + text + "\" is not a size (e.g. 65536, 64KiB, 64MiB, 1GiB)");
    }
    int shift = switch (m.group(2) == null ? "b" : m.group(2)) {
      case "k", "kib" -> 10;
      case "m", "mib" -> 20;
      case "g", "gib" -> 30;
      case "t", "tib" -> 40;
      default -> 0;
    };
    try {
      long value = Long.parseLong(m.group(1));
      if (value > Long.MAX_VALUE >> shift) {
        throw new NumberFormatException();
      }
      return value << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + ": " + text + " is more bytes than Kiln can count");
    }
  }
}
