/**
 * Tables through the real pipeline: lazily initialised and strict funcref tables behave alike, and
 * 64-bit tables hold under indices, counts and deltas of 2^32 and more, on both targets.
 */
package dev.kiln.tests.tables;
