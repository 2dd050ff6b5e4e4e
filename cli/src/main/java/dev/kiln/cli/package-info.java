/**
 * The {@code kiln} command line. Each subcommand is a small class that parses its options and calls
 * the library; {@link dev.kiln.cli.UserErrorHandler} makes sure bad input ends in one clear line and
 * a non-zero exit, never a stack trace.
 */
package dev.kiln.cli;
