package dev.kiln.artifact.vm;

/**
 * One field of a VMContext: its name (e.g. {@code memory[0].base}), byte offset and size. {@link
 * VmLayout#fields()} lists them all so the loader's own struct layout can be checked against the
 * compiler's, field by field.
 */
public record VmField(String name, int offset, int size) {
  public VmField {
    if (offset < 0 || size <= 0) {
      throw new IllegalArgumentException(name + ": offset " + offset + ", size " + size);
    }
  }

  /** One past the last byte. */
  public int end() {
    return offset + size;
  }
}
