/**
 * The host-call fuzzer (issue 35): random sequences of WASI calls with adversarial pointers, lengths
 * and file contents, made on a guest memory whose surroundings and contents are checked after every
 * call. {@link dev.kiln.tests.hostcall.HostCallFuzzer} makes and checks the calls; a {@link
 * dev.kiln.tests.hostcall.FuzzGuest} is where they run: straight into the WASI functions over a
 * memory between two canary regions ({@link dev.kiln.tests.hostcall.CanaryGuest}), or through a
 * compiled wasm module's imports on x86-64 and on AArch64 (the Unicorn executor), with 32-bit and
 * memory64 memories ({@link dev.kiln.tests.hostcall.CompiledGuest}).
 */
package dev.kiln.tests.hostcall;
