package dev.kiln.loader.runtime;

/**
 * What a refusal names, "a memory of 3 pages": made into a string only if something refuses the
 * object, not on every instantiation that nothing refuses. Concatenated where the object is made,
 * the description cost each instance's memory and table a {@code StringBuilder}, its growth and a
 * string (about 100 bytes a cycle each, since the build compiles concatenation inline rather than
 * through {@code invokedynamic}, issue 35), against one small record here.
 *
 * @param object what is made ("memory", "table")
 * @param count how many of {@code unit} it starts with
 * @param unit what it counts ("pages", "elements")
 */
public record Described(String object, long count, String unit) {
  @Override
  public String toString() {
    return "a " + object + " of " + count + " " + unit;
  }
}
