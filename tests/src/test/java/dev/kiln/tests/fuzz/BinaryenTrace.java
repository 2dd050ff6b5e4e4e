package dev.kiln.tests.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The reference trace: binaryen 132's interpreter ({@code wasm-opt --fuzz-exec-before}), whose
 * output (src/tools/execution-results.h: "[fuzz-exec] export NAME", "[LoggingExternalInterface
 * logging ...]", "[fuzz-exec] note result: NAME => V" with any further values on lines of their own,
 * "[trap ...]", "[exception thrown: ...]") is read into {@link Wasm3Trace}'s normalised form.
 */
final class BinaryenTrace {
  private BinaryenTrace() {}

  static List<String> parse(List<String> output) {
    List<String> trace = new ArrayList<>();
    boolean inResult = false;
    for (String line : output) {
      if (line.startsWith("[fuzz-exec] export ")) {
        trace.add("export " + line.substring("[fuzz-exec] export ".length()));
        inResult = false;
      } else if (line.startsWith("[LoggingExternalInterface logging")) {
        String args = line.substring("[LoggingExternalInterface logging".length(), line.length() - 1).strip();
        trace.add(("log " + values(args)).strip());
        inResult = false;
      } else if (line.startsWith("[fuzz-exec] note result: ")) {
        trace.add("result " + values(line.substring(line.indexOf(" => ") + 4)));
        inResult = true;
      } else if (line.startsWith("[trap ")) {
        trace.add("trap");
        inResult = false;
      } else if (line.startsWith("[exception thrown:")) {
        trace.add("exception");
        inResult = false;
      } else if (line.startsWith("[host limit")) {
        trace.add("unmodelled host limit");
        inResult = false;
      } else if (inResult && !line.startsWith("[")) {
        // A further result of a multi-value export.
        int last = trace.size() - 1;
        trace.set(last, trace.get(last) + " " + values(line));
      }
    }
    return trace;
  }

  /** binaryen's printed values (printValue), space-separated, normalised. */
  static String values(String text) {
    String[] tokens = text.strip().split(" ");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < tokens.length; i++) {
      String t = tokens[i];
      String value;
      if (t.isEmpty()) {
        continue;
      } else if (t.equals("i32x4") && i + 4 < tokens.length) {
        value = "i32x4 " + tokens[i + 1] + " " + tokens[i + 2] + " " + tokens[i + 3] + " " + tokens[i + 4];
        i += 4;
      } else if (t.equals("externalized") || t.equals("internalized")) {
        // The rest is the wrapped value, which only binaryen can show.
        value = t.equals("externalized") ? "externalized" : "object";
        i = tokens.length;
      } else if (t.startsWith("object(") || t.equals("exnref")) {
        // binaryen 132 prints an exnref result as "object(null)"; a bare "exnref" token reads the same.
        value = "object";
      } else if (t.equals("null") || t.equals("function") || t.startsWith("i31ref(") || t.startsWith("externref(")
          || t.equals("jserror")) {
        value = t;
      } else {
        value = number(t);
      }
      out.append(out.isEmpty() ? "" : " ").append(value);
    }
    return out.toString();
  }

  /** Literal::printDouble's forms ("-0", "nan:0x..", "inf", JS number text) as the double they are. */
  static String number(String t) {
    if (t.startsWith("nan") || t.startsWith("-nan")) {
      return "nan";
    }
    if (t.equals("inf") || t.equals("-inf")) {
      return Wasm3Trace.number(t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
    }
    boolean negative = t.startsWith("-");
    String magnitude = negative ? t.substring(1) : t;
    double value = magnitude.startsWith("0x")
        ? Long.parseUnsignedLong(magnitude.substring(2), 16)
        : Double.parseDouble(magnitude);
    return Wasm3Trace.number(negative ? -value : value);
  }
}
