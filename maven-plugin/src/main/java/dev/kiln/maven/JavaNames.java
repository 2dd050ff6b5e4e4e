package dev.kiln.maven;

import java.util.HashSet;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Java names for wasm names: an export or import name is any UTF-8 string (WebAssembly 2.0 section
 * 2.5.10), a Java identifier is not. Words are split at every character that cannot be part of an
 * identifier and at case changes ({@code "get_value"}, {@code "getValue"} and {@code "get-value"}
 * are all {@code getValue}); a name that starts with a digit, is a keyword, is empty, or is taken
 * gets a suffix. Each {@link JavaNames} instance is one scope: the names it hands out are distinct.
 */
final class JavaNames {
  private final Set<String> taken = new HashSet<>();

  /** A scope where {@code reserved} (the generated class's own members) are already taken. */
  JavaNames(Set<String> reserved) {
    taken.addAll(reserved);
  }

  /** A distinct lowerCamelCase member name for {@code wasmName}. */
  String member(String wasmName) {
    return distinct(lowerCamel(wasmName));
  }

  /** A distinct UpperCamelCase type name for {@code wasmName}, followed by {@code suffix}. */
  String type(String wasmName, String suffix) {
    String camel = lowerCamel(wasmName);
    return distinct(Character.toUpperCase(camel.charAt(0)) + camel.substring(1) + suffix);
  }

  private String distinct(String name) {
    String candidate = name;
    for (int n = 2; !taken.add(candidate); n++) {
      candidate = name + n;
    }
    return candidate;
  }

  /** {@code wasmName} in lowerCamelCase, a valid identifier and no keyword. */
  static String lowerCamel(String wasmName) {
    StringBuilder out = new StringBuilder();
    boolean upperNext = false;
    int previous = 0;
    for (int i = 0; i < wasmName.length(); ) {
      int c = wasmName.codePointAt(i);
      i += Character.charCount(c);
      if (!Character.isJavaIdentifierPart(c) || c == '_' || c == '$' || Character.isIdentifierIgnorable(c)) {
        upperNext = out.length() > 0;
        previous = 0;
        continue;
      }
      boolean wordStart = upperNext || (Character.isUpperCase(c) && Character.isLowerCase(previous));
      if (out.isEmpty()) {
        out.appendCodePoint(Character.toLowerCase(c));
      } else if (wordStart) {
        out.appendCodePoint(Character.toUpperCase(c));
      } else if (Character.isUpperCase(c) && Character.isUpperCase(previous)) {
        // An acronym keeps its first letter only: "parseURL" -> "parseUrl".
        out.appendCodePoint(Character.toLowerCase(c));
      } else {
        out.appendCodePoint(c);
      }
      upperNext = false;
      previous = c;
    }
    String name = out.isEmpty() ? "export" : out.toString();
    if (!Character.isJavaIdentifierStart(name.codePointAt(0))) {
      name = "_" + name;
    }
    if (SourceVersion.isKeyword(name)) {
      name = name + "_";
    }
    return name;
  }
}
