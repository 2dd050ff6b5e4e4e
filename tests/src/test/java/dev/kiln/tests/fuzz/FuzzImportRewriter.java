package dev.kiln.tests.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites binaryen 132's "fuzzing-support" imports that Kiln's host interface cannot provide into
 * functions inside the module with the same name, type and observable behaviour (binaryen's
 * src/tools/execution-results.h defines it: its interpreter's LoggingExternalInterface and
 * FuzzerImportResolver), so both engines run the same rewritten module (binaryen's text, as {@code
 * wasm-opt -S} prints it):
 * <ul>
 *   <li>{@code log-anyref}: a host function takes no any-hierarchy reference, so no host
 *       function satisfies such an import, and the value is logged through {@code log-ref-kind} as two i32: {@code 0 0}
 *       null, {@code 1 V} an i31 of V, {@code 2 0} any other object (the normalisation: what
 *       binaryen would print, "null", "i31ref(V)" or "object(...)", reduced to what Kiln can tell).
 *   <li>{@code throw}: a host function cannot throw a wasm exception into Kiln; binaryen's throws
 *       the "wasmtag" exception with the argument, or for 0 the "jstag" one with a JS error, which
 *       here is the externref of the imported global {@code fuzzing-support.jserror} (binaryen's
 *       resolver gives every immutable externref global import a payload, {@link #externPayload}).
 *   <li>{@code table-get}, {@code table-set}: the exported "table"'s element, or the JS error past
 *       its end or without such a table.
 *   <li>the tags "wasmtag" and "jstag" become the module's own: one module sees no difference, and
 *       the host interface need not make tags.
 * </ul>
 */
final class FuzzImportRewriter {
  private static final String SUPPORT = "fuzzing-support";
  private static final Pattern IMPORT_FUNC = Pattern.compile(
      "\\(import \"fuzzing-support\" \"([a-z-]+)\" \\(func (\\$\\S+) (\\(type \\$\\S+\\))[^\\n]*\\)\\)");
  private static final Pattern IMPORT_TAG = Pattern.compile(
      "\\(import \"fuzzing-support\" \"(wasmtag|jstag)\" \\((tag (\\$\\S+)[^\\n]*\\))\\)");
  private static final Pattern EXPORTED_TABLE = Pattern.compile("\\(export \"table\" \\(table (\\$\\S+)\\)\\)");

  private FuzzImportRewriter() {}

  /**
   * The payload binaryen 132's fuzzer gives an immutable externref global imported as {@code
   * module.name} (FuzzerImportResolver): the sum of both names' characters, modulo 251.
   */
  static int externPayload(String module, String name) {
    int payload = 0;
    for (char c : (module + name).toCharArray()) {
      payload = (payload + c) % 251;
    }
    return payload;
  }

  static String rewrite(String module) {
    List<String> addedImports = new ArrayList<>();
    StringBuilder addedFunctions = new StringBuilder();
    String wasmTag = tag(module, "wasmtag", "i32", addedFunctions);
    String jsTag = tag(module, "jstag", "externref", addedFunctions);
    module = IMPORT_TAG.matcher(module).replaceAll("");
    String jsError = "$kiln_jserror";
    String throwJsError = "(throw " + jsTag + " (global.get " + jsError + "))";
    Matcher table = EXPORTED_TABLE.matcher(module);
    String exportedTable = table.find() ? table.group(1) : null;
    boolean funcrefTable = exportedTable != null
        && module.contains("(table " + exportedTable + " ") && tableLine(module, exportedTable).endsWith("funcref)");
    StringBuilder out = new StringBuilder();
    Matcher m = IMPORT_FUNC.matcher(module);
    int last = 0;
    boolean usesJsError = false;
    while (m.find()) {
      String name = m.group(2);
      String type = m.group(3);
      String body = switch (m.group(1)) {
        case "log-anyref" -> {
          String kind = name + "_kind";
          addedImports.add("(import \"" + SUPPORT + "\" \"log-ref-kind\" (func " + kind + " (param i32 i32)))");
          yield "(param $value anyref)\n"
              + "  (if (ref.is_null (local.get $value))\n"
              + "   (then (call " + kind + " (i32.const 0) (i32.const 0)) (return)))\n"
              + "  (if (ref.test (ref i31) (local.get $value))\n"
              + "   (then (call " + kind + " (i32.const 1) (i31.get_s (ref.cast (ref i31) (local.get $value))))"
              + " (return)))\n"
              + "  (call " + kind + " (i32.const 2) (i32.const 0))";
        }
        case "throw" -> "(param $value i32)\n"
            + "  (if (i32.eqz (local.get $value)) (then " + throwJsError + "))\n"
            + "  (throw " + wasmTag + " (local.get $value))";
        case "table-get" -> funcrefTable
            ? "(param $index i32) (result funcref)\n" + outOfTable(exportedTable, throwJsError)
                + "  (table.get " + exportedTable + " (local.get $index))"
            : exportedTable == null ? "(param $index i32) (result funcref)\n  " + throwJsError : null;
        case "table-set" -> funcrefTable
            ? "(param $index i32) (param $value funcref)\n" + outOfTable(exportedTable, throwJsError)
                + "  (table.set " + exportedTable + " (local.get $index) (local.get $value))"
            : exportedTable == null ? "(param $index i32) (param $value funcref)\n  " + throwJsError : null;
        default -> null;
      };
      if (body == null) {
        continue;
      }
      usesJsError |= body.contains(jsError);
      out.append(module, last, m.start());
      last = m.end();
      addedFunctions.append(" (func ").append(name).append(' ').append(type).append(' ').append(body).append(")\n");
    }
    out.append(module, last, module.length());
    if (usesJsError) {
      addedImports.add("(import \"" + SUPPORT + "\" \"jserror\" (global " + jsError + " externref))");
    }
    String rewritten = out.toString();
    // Imports come before every definition (spec 6.6.13): the new ones go before the first import.
    int firstImport = rewritten.indexOf(" (import ");
    int end = rewritten.lastIndexOf(')');
    String imports = addedImports.stream().map(i -> " " + i + "\n").reduce("", String::concat);
    return firstImport < 0
        ? rewritten.substring(0, end) + imports + addedFunctions + rewritten.substring(end)
        : rewritten.substring(0, firstImport) + imports + rewritten.substring(firstImport, end)
            + addedFunctions + rewritten.substring(end);
  }

  /** The name of the tag {@code which}, defined by the module from now on (added to {@code definitions}). */
  private static String tag(String module, String which, String param, StringBuilder definitions) {
    Matcher m = IMPORT_TAG.matcher(module);
    while (m.find()) {
      if (m.group(1).equals(which)) {
        definitions.append(" (").append(m.group(2)).append("\n");
        return m.group(3);
      }
    }
    String name = "$kiln_" + which;
    definitions.append(" (tag ").append(name).append(" (param ").append(param).append("))\n");
    return name;
  }

  private static String tableLine(String module, String table) {
    int at = module.indexOf("(table " + table + " ");
    return module.substring(at, module.indexOf('\n', at)).strip();
  }

  private static String outOfTable(String table, String throwJsError) {
    return "  (if (i32.ge_u (local.get $index) (table.size " + table + ")) (then " + throwJsError + "))\n";
  }
}
