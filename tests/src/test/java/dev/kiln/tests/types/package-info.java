/**
 * Types across module boundaries on both targets: typed function references in imports and {@code
 * call_indirect} (WebAssembly 3.0 spec 4.5.2, 4.4.8.7), tables with an initialiser, and import
 * mismatches named by their types' shapes rather than by internal names.
 */
package dev.kiln.tests.types;
