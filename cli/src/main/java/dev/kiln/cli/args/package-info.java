/**
 * Kiln's own command-line parser: each command declares its options and positional parameters as
 * a table of records ({@link dev.kiln.cli.args.CommandSpec}, {@link dev.kiln.cli.args.OptionSpec},
 * {@link dev.kiln.cli.args.ParameterSpec}), {@link dev.kiln.cli.args.ArgumentParser} turns an
 * argument list into typed values ({@link dev.kiln.cli.args.ParsedArgs}) or one {@link
 * dev.kiln.cli.args.UsageException} line naming the option, and {@link
 * dev.kiln.cli.args.HelpFormatter} renders {@code --help}, wrapped at word boundaries to the
 * terminal's width ({@link dev.kiln.cli.args.WordWrap}, {@link dev.kiln.cli.args.TerminalWidth}).
 *
 * <p>Why not a library: picocli, which the CLI used before, reflects over annotations when a
 * command starts and its classes (class-file version 49) cannot be stored in the JVM's AOT cache,
 * which cost {@code kiln run} some 110 ms of CPU on every start
 * (docs/history/performance-journal.md, "A parser of Kiln's own"). These tables are plain records
 * built by ordinary code, so the AOT cache holds all of it.
 *
 * <p>The syntax is the GNU getopt_long convention (getopt(3)): {@code --name VALUE} or {@code
 * --name=VALUE}, a short {@code -o VALUE} or {@code -oVALUE}, options and parameters in any order,
 * and {@code --} ending the options. An argument that starts with {@code -} and is neither an option
 * of the command nor a number ({@code -5}, {@code -1.5e3}, {@code -Infinity}) is an unknown option.
 */
package dev.kiln.cli.args;
