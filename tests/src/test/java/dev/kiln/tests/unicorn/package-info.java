/**
 * The emulator's executor (Unicorn) running AArch64 code on this x86-64 host through the loader:
 * hand-encoded entries checked against Capstone, host calls and imports through its stub page, a
 * hand-made AArch64 {@code .cwasm}, write-xor-execute under emulation, and a rough cost report.
 */
package dev.kiln.tests.unicorn;
