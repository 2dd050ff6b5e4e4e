/**
 * Cross-target differential testing: the same spec modules compiled for x86-64 (run natively) and
 * for AArch64 (run on the loader's Unicorn executor) must behave identically wherever both targets
 * execute a command. Proves AArch64 code by executing it on an x86-64 machine (issue 6, item 5).
 * Beside the spec suite, scripts of this package's own run the SIMD lowerings' pattern choices
 * (shuffle masks, selects by lane masks) on every target and feature level, and pin the one result
 * each target chose for every relaxed SIMD instruction, where the targets differ by design.
 */
package dev.kiln.tests.crosstarget;
