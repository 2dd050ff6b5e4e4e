package dev.kiln.artifact.info;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The function names of a decoded {@code .kiln.info} as an immutable map whose strings are made
 * when first asked for: the names stay as the UTF-8 bytes the decoder copied out of the section in
 * one piece. A large module's names run to tens of kilobytes (regex's 920 names: 70 KB), only a
 * backtrace reads a few of them, and decoding them all was most of loading such a module in a
 * fresh JVM, whose interpreter runs the decoder (docs/history/performance-journal.md, "Function
 * names decoded when read"). The decoder has already checked the bytes: every name is ASCII, or was
 * decoded strictly then and is held as a string.
 *
 * <p>Iteration is in increasing function order, the order the section stores and the encoder
 * writes. Equality and hash code are those of any {@link Map} with the same entries.
 */
final class FunctionNameTable extends AbstractMap<Integer, String> {
  /** Named functions, increasing. */
  private final int[] functions;
  /** Where name {@code i} starts in {@link #bytes}, and its length. */
  private final int[] starts;
  private final int[] lengths;
  private final byte[] bytes;
  /** Name {@code i} once made; the decoder fills the non-ASCII ones. Racy but benign: strings are immutable. */
  private final String[] names;

  FunctionNameTable(int[] functions, int[] starts, int[] lengths, byte[] bytes, String[] names) {
    this.functions = functions;
    this.starts = starts;
    this.lengths = lengths;
    this.bytes = bytes;
    this.names = names;
  }

  /** Whether {@code bytes[start, start + length)} is all ASCII: the names a table leaves as bytes. */
  static boolean isAscii(byte[] bytes, int start, int length) {
    for (int i = start; i < start + length; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int size() {
    return functions.length;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof Integer f && Arrays.binarySearch(functions, f) >= 0;
  }

  @Override
  public String get(Object key) {
    if (!(key instanceof Integer f)) {
      return null;
    }
    int i = Arrays.binarySearch(functions, f);
    return i < 0 ? null : name(i);
  }

  private String name(int i) {
    String name = names[i];
    if (name == null) {
      // ASCII, as the decoder checked: its bytes are its Latin-1 characters.
      name = new String(bytes, starts[i], lengths[i], StandardCharsets.ISO_8859_1);
      names[i] = name;
    }
    return name;
  }

  /** The named functions, without making their names (ModuleInfo's check reads only these). */
  @Override
  public Set<Integer> keySet() {
    return new InOrder<>() {
      @Override
      Integer at(int i) {
        return functions[i];
      }

      @Override
      public boolean contains(Object o) {
        return containsKey(o);
      }
    };
  }

  @Override
  public Set<Entry<Integer, String>> entrySet() {
    return new InOrder<>() {
      @Override
      Entry<Integer, String> at(int i) {
        return Map.entry(functions[i], name(i));
      }
    };
  }

  /** A read-only view whose element {@code i} belongs to named function {@code i}, in order. */
  private abstract class InOrder<T> extends AbstractSet<T> {
    abstract T at(int i);

    @Override
    public int size() {
      return functions.length;
    }

    @Override
    public Iterator<T> iterator() {
      return new Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < functions.length;
        }

        @Override
        public T next() {
          if (next >= functions.length) {
            throw new NoSuchElementException();
          }
          return at(next++);
        }
      };
    }
  }
}
