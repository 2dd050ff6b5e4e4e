package dev.kiln.runtime;

import dev.kiln.loader.runtime.ExceptionTag;
import java.util.Objects;

/**
 * An exception tag of an instance (WebAssembly 3.0 section 4.2, tag instances), from {@link
 * Instance#tag}: what a wasm exception is thrown and caught by, and what a {@link WasmThrow} names.
 * Two handles are equal when they stand for the same tag: an exported tag and the import of it in
 * another instance are one tag; two instantiations of one module define two tags even of equal type.
 */
public final class Tag {
  private final ExceptionTag tag;
  private final dev.kiln.loader.runtime.RuntimeTypes types;
  private final TagType type;

  Tag(ExceptionTag tag, dev.kiln.loader.runtime.RuntimeTypes types) {
    this.tag = Objects.requireNonNull(tag, "tag");
    this.types = types;
    this.type = Conversions.tagType(tag.typeId(), types);
  }

  /**
   * The tag's type: the types of an exception's values.
   *
   * @return the type
   */
  public TagType type() {
    return type;
  }

  /** The types of the engine whose store made the tag: its type id means something only there. */
  dev.kiln.loader.runtime.RuntimeTypes types() {
    return types;
  }

  ExceptionTag internal() {
    return tag;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Tag t && t.tag.identity() == tag.identity();
  }

  @Override
  public int hashCode() {
    return Long.hashCode(tag.identity());
  }

  @Override
  public String toString() {
    return "tag " + type.payload();
  }
}
