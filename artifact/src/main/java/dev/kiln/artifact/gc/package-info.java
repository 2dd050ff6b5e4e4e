/**
 * How a WebAssembly 3.0 reference of the any and extern hierarchies is one 64-bit word, shared by
 * the compiler (which emits the tests and the tagging), the loader (which evaluates {@code ref.i31}
 * in constant expressions) and the script runner (which reads results): {@link
 * dev.kiln.artifact.gc.ReferenceWord}.
 *
 * <p><b>Why one word space for any and extern.</b> {@code any.convert_extern} and {@code
 * extern.convert_any} (spec 3.0 4.4.x) must round-trip every value, i31s and host references
 * included. Giving both hierarchies the same word makes both conversions free (no instruction, no
 * allocation), so an externalised i31 is the same bits as the i31.
 *
 * <p><b>The word.</b> 0 is null in every hierarchy. A word with bit 0 set is an i31: the 31-bit
 * value in bits 1..31, bits 32..63 zero ({@code (v << 1) | 1}); so {@code ref.i31} is a shift and an
 * or, {@code i31.get_u} a logical shift right, {@code i31.get_s} an arithmetic one of the low 32
 * bits, and {@code ref.test i31} one bit test. Every other word is a host reference (an opaque
 * value an embedder passed in as an externref) or, once Kiln has its GC heap, the address of a heap
 * object. Heap objects will be 8-byte aligned with a header word at offset 0 holding their type's
 * id, so bit 0 of an object's address is always clear, never confused with an i31, and a cast to a
 * struct, array or concrete type is an alignment-and-range test against the store's heap followed by
 * one load of the header; a host reference is never inside that range.
 *
 * <p><b>The host's side.</b> An embedder's externref is any 64 bits; one with bit 0 set is, to the
 * guest, an i31 once internalised ({@code any.convert_extern}). Compiled code never dereferences a
 * word that is not proven to be a heap object, so a host word cannot make the guest read memory;
 * the script runner passes {@code (ref.extern n)} and {@code (ref.host n)} as even words for that
 * reason ({@code dev.kiln.wast.WastValues}).
 */
package dev.kiln.artifact.gc;
