package dev.kiln.codegen;

/**
 * A position in one function's code, named before it is known. Created by
 * {@link CodeBuffer#createLabel()} and bound once with {@link CodeBuffer#bind(Label)}; the id is only
 * meaningful inside the buffer that created it.
 *
 * @param id dense index within its buffer, from 0
 */
public record Label(int id) {
  public Label {
    if (id < 0) {
      throw new IllegalArgumentException("label id must not be negative: " + id);
    }
  }

  @Override
  public String toString() {
    return "label" + id;
  }
}
