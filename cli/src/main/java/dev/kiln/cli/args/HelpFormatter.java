package dev.kiln.cli.args;

import java.util.ArrayList;
import java.util.List;

/**
 * A command's {@code --help}: the usage line, the description, the parameters and options in two
 * columns (name, then the description wrapped beside it), what each exit status means, and the
 * footer. Everything but the footer is wrapped at word boundaries ({@link WordWrap}) to one column
 * less than the width, so a terminal of that width never wraps a line itself.
 */
public final class HelpFormatter {
  /** The description column never starts further right than this, so long names do not squeeze it. */
  private static final int MAX_NAME_COLUMN = 30;

  private final int lineWidth;

  /** Help for a terminal {@code width} columns wide ({@link TerminalWidth}). */
  public HelpFormatter(int width) {
    this.lineWidth = width - 1;
  }

  /** The help of {@code spec}, invoked as {@code path} ({@code kiln run}). */
  public String command(String path, CommandSpec spec) {
    return render(path, spec, List.of());
  }

  /** The help of a command made of {@code subcommands}, each listed with its first paragraph. */
  public String withSubcommands(String path, CommandSpec spec, List<CommandSpec> subcommands) {
    return render(path, spec, subcommands);
  }

  private String render(String path, CommandSpec spec, List<CommandSpec> subcommands) {
    List<String> out = new ArrayList<>();
    out.addAll(WordWrap.wrap("Usage: " + synopsis(path, spec, !subcommands.isEmpty()), lineWidth));
    out.add("");
    for (String paragraph : spec.description()) {
      out.addAll(WordWrap.wrap(paragraph, lineWidth));
    }
    if (!spec.parameters().isEmpty()) {
      out.add("");
      out.add("Parameters:");
      List<Row> rows = new ArrayList<>();
      spec.parameters().forEach(p -> rows.add(new Row("  " + p.synopsis(), p.description())));
      out.addAll(columns(rows));
    }
    out.add("");
    out.add("Options:");
    out.addAll(columns(spec.allOptions().stream().map(HelpFormatter::optionRow).toList()));
    if (!subcommands.isEmpty()) {
      out.add("");
      out.add("Commands:");
      out.addAll(columns(subcommands.stream()
          .map(c -> new Row("  " + c.name(), summary(c))).toList()));
    }
    if (!spec.exitStatuses().isEmpty()) {
      out.add("");
      out.add("Exit codes:");
      out.addAll(columns(spec.exitStatuses().stream().map(e -> new Row("  " + e.status(), e.meaning())).toList()));
    }
    out.addAll(spec.footer());
    return String.join("\n", out) + "\n";
  }

  /** A command's first sentence, for the list of commands. */
  private static String summary(CommandSpec command) {
    if (command.description().isEmpty()) {
      return "";
    }
    String first = command.description().getFirst();
    int end = first.indexOf(". ");
    return end < 0 ? first : first.substring(0, end + 1);
  }

  /** {@code kiln compile [OPTIONS] --output=OUT.cwasm IN.wasm}: required options and every parameter. */
  private static String synopsis(String path, CommandSpec spec, boolean hasSubcommands) {
    StringBuilder line = new StringBuilder(path).append(" [OPTIONS]");
    for (OptionSpec<?> option : spec.options()) {
      if (option.required()) {
        line.append(' ').append(option.longestName()).append('=').append(option.label());
      }
    }
    for (ParameterSpec<?> parameter : spec.parameters()) {
      line.append(' ').append(parameter.synopsis());
    }
    if (hasSubcommands) {
      line.append(" COMMAND");
    }
    return line.toString();
  }

  /** {@code   -o, --output=OUT.cwasm}: short names in their own column, so long ones line up. */
  private static Row optionRow(OptionSpec<?> option) {
    List<String> shorts = new ArrayList<>();
    List<String> longs = new ArrayList<>();
    for (String name : option.names()) {
      (name.startsWith("--") ? longs : shorts).add(name);
    }
    StringBuilder left = new StringBuilder("  ");
    left.append(shorts.isEmpty() ? "    " : String.join(", ", shorts) + (longs.isEmpty() ? "" : ", "));
    left.append(String.join(", ", longs));
    if (option.takesValue()) {
      left.append('=').append(option.label());
    }
    return new Row(left.toString(), option.description());
  }

  private record Row(String name, String description) {}

  /**
   * Rows as two columns: the description starts two spaces after the longest name (at most {@link
   * #MAX_NAME_COLUMN}) and wraps within its column; a name too long for the column has its
   * description start on the next line.
   */
  private List<String> columns(List<Row> rows) {
    int column = 0;
    for (Row row : rows) {
      column = Math.max(column, row.name().length() + 2);
    }
    column = Math.min(column, MAX_NAME_COLUMN);
    String margin = " ".repeat(column);
    List<String> lines = new ArrayList<>();
    for (Row row : rows) {
      List<String> text = WordWrap.wrap(row.description(), Math.max(lineWidth - column, 1));
      int first = 0;
      if (row.name().length() + 2 <= column) {
        lines.add((row.name() + " ".repeat(column - row.name().length()) + text.getFirst()).stripTrailing());
        first = 1;
      } else {
        lines.add(row.name());
      }
      for (int i = first; i < text.size(); i++) {
        lines.add(margin + text.get(i));
      }
    }
    return lines;
  }
}
