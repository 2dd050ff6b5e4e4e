package dev.kiln.ir;

/**
 * The name of a function outside the one being compiled: a textual name for tests and tools, or a
 * pair of numbers the compiler gives meaning to (it uses a FuncKey's namespace and index, so the
 * IR needs no dependency on the artifact module).
 */
public sealed interface ExternalName {
  /** Text form: {@code %name} or {@code u1:7}. */
  String text();

  /** {@code %name}: letters, digits, {@code _}, {@code .} and {@code $}. */
  record Named(String name) implements ExternalName {
    public Named {
      if (name.isEmpty() || !name.chars().allMatch(Named::isNameChar)) {
        throw new IllegalArgumentException("bad function name: '" + name + "'");
      }
    }

    static boolean isNameChar(int c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$';
    }

    @Override
    public String text() {
      return "%" + name;
    }
  }

  /** {@code u<namespace>:<index>}, both unsigned 32-bit numbers. */
  record User(int namespace, int index) implements ExternalName {
    // equals and hashCode written out: the record's generated ones go through an invokedynamic
    // bootstrap (ObjectMethods) that C1, kiln compile's JIT under 24 MB, does not inline, and a callee's
    // name is compared and hashed per direct call (ExtFuncData). The generated hash's formula.
    @Override
    public boolean equals(Object o) {
      return o == this || o instanceof User u && u.namespace == namespace && u.index == index;
    }

    @Override
    public int hashCode() {
      return 31 * namespace + index;
    }

    @Override
    public String text() {
      return "u" + Integer.toUnsignedString(namespace) + ":" + Integer.toUnsignedString(index);
    }
  }
}
