/**
 * The x86-64 execution core with hand-assembled code, beside the compiler: entries and traps through
 * the generated trampolines, nested entries, accesses left to the guard region trapping at their own
 * wasm offsets, and the backend's CPU feature names against the loader's.
 */
package dev.kiln.tests.x64;
