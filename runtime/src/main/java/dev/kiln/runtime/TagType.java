package dev.kiln.runtime;

import java.util.List;
import java.util.Objects;

/**
 * An exception tag's type (WebAssembly 3.0 section 2.3.x, tag types): the values an exception of
 * the tag carries. A tag is imported and exported like a function; two tags are one only when one
 * is the other's export, whatever their types.
 *
 * @param payload the types of the exception's values, in order
 */
public record TagType(List<ValType> payload) implements ExternType {
  /** Copies the list, so the type is immutable. */
  public TagType {
    payload = List.copyOf(Objects.requireNonNull(payload, "payload"));
  }

  @Override
  public ExternKind kind() {
    return ExternKind.TAG;
  }

  // Written out: javac's would link through ObjectMethods at first use (FirstLinkGuardTest)
  @Override
  public boolean equals(Object o) {
    return o instanceof TagType other && java.util.Objects.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hashCode(payload);
  }

  @Override
  public String toString() {
    return "TagType[payload=" + payload + "]";
  }
}
