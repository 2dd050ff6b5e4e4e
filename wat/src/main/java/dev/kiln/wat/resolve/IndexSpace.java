package dev.kiln.wat.resolve;

import dev.kiln.wat.WatSyntaxException;
import dev.kiln.wat.ast.Ref;
import dev.kiln.wat.lex.Token;
import java.util.HashMap;
import java.util.Map;

/**
 * One identifier context of spec 6.6.4 (types, funcs, tables, memories, globals, tags, elems,
 * datas, locals, fields): the identifiers bound so far and how many entries the space has.
 */
final class IndexSpace {
  private final String what;
  private final String fileName;
  private final Map<String, Integer> names = new HashMap<>();
  private int size;

  IndexSpace(String what, String fileName) {
    this.what = what;
    this.fileName = fileName;
  }

  /** Adds an entry bound to {@code name} (null: anonymous); a name bound twice is an error. */
  int add(String name, Token at) {
    if (name != null && names.putIfAbsent(name, size) != null) {
      throw new WatSyntaxException(fileName, at.line(), at.column(), "expected a fresh identifier, found duplicate " + what
          + " $" + name);
    }
    return size++;
  }

  int size() {
    return size;
  }

  /** The index {@code ref} names: its number, or the entry bound to its identifier. */
  long resolve(Ref ref) {
    return switch (ref) {
      case Ref.Num n -> n.index();
      case Ref.Name n -> {
        Integer index = names.get(n.name());
        if (index == null) {
          throw new WatSyntaxException(fileName, n.at().line(), n.at().column(),
              "expected a known " + what + ", found unknown " + what + " $" + n.name());
        }
        yield index;
      }
    };
  }
}
