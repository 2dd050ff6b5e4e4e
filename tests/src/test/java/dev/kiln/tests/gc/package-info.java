/**
 * WebAssembly 3.0 GC end to end on both targets: the reference word's encoding as compiled code
 * produces and tests it ({@code dev.kiln.artifact.gc}), and what a host word can and cannot become
 * inside the guest.
 */
package dev.kiln.tests.gc;
