/**
 * AArch64 code end to end on this host: modules compiled by the AArch64 backend (allocation checker
 * on), written as a {@code .cwasm} and run by the loader's executor for that target (the emulator
 * on an x86-64 host), and {@code kiln compile --target aarch64} through the command line.
 */
package dev.kiln.tests.aarch64;
