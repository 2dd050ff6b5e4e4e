/**
 * Kiln's reader of the WebAssembly text format: {@link dev.kiln.wat.Wat#toBinary} turns a {@code
 * .wat} text into module bytes with no external tool. The pipeline is lexer ({@code lex}), parser
 * to a text-level module ({@code parse}, {@code ast}), identifier resolution and binary writing
 * ({@code resolve}, {@code binary}); errors are {@link dev.kiln.wat.WatSyntaxException}s, one line
 * with file, line and column. {@link dev.kiln.wat.Edition} picks 2.0's or 3.0's text rules where
 * the two differ.
 *
 * <p>Its correctness is checked against the spec suites, not by hand: every text module of the
 * 2022 suite is compared with wabt's {@code wast2json} output (SpecSuiteAgreementTest), every text
 * module of the 3.0 suite must encode and every {@code assert_malformed} text must be rejected
 * (Wasm3SuiteTest). Where the binary format allows several encodings the encoder takes the 3.0
 * reference interpreter's choice (its {@code interpreter/binary/encode.ml}).
 *
 * <p>Speed, measured on the 2-core development machine while others used it (load average 9): the
 * 3.0 suite's 264 scripts (11.8 million characters, lexed whole) with their 5,160 modules parsed
 * and encoded take 3.8 s in a fresh JVM and 0.3-0.6 s once warm.
 */
package dev.kiln.wat;
