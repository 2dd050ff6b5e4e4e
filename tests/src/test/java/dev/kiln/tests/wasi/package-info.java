/**
 * WASI preview1 as the official testsuite defines it: its programs and JSON expectations, run on
 * both targets through the public API, so the default test run holds Kiln to the suite whole.
 */
package dev.kiln.tests.wasi;
