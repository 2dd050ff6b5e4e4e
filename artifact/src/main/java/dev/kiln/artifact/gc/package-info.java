/**
 * How a WebAssembly 3.0 reference of the any and extern hierarchies is one 64-bit word, shared by
 * the compiler (which emits the tests and the tagging), the loader (which evaluates {@code ref.i31}
 * in constant expressions) and the script runner (which reads results): {@link
 * dev.kiln.artifact.gc.ReferenceWord}; and how a struct or array object lies in the store's GC heap,
 * shared by the compiler and the loader that allocates for constant expressions: {@link
 * dev.kiln.artifact.gc.ObjectLayout}.
 *
 * <p><b>Why one word space for any and extern.</b> {@code any.convert_extern} and {@code
 * extern.convert_any} (spec 3.0 4.4.x) must round-trip every value, i31s and host references
 * included. Giving both hierarchies the same word makes both conversions free (no instruction, no
 * allocation), so an externalised i31 is the same bits as the i31.
 *
 * <p><b>The word.</b> 0 is null in every hierarchy. A word with bit 0 set is an i31: the 31-bit
 * value in bits 1..31, bits 32..63 zero ({@code (v << 1) | 1}); so {@code ref.i31} is a shift and an
 * or, {@code i31.get_u} a logical shift right, {@code i31.get_s} an arithmetic one of the low 32
 * bits, and {@code ref.test i31} one bit test. A struct or array object is its address in the
 * store's GC heap ({@link dev.kiln.artifact.gc.ObjectLayout}): 8-aligned, so bit 0 is clear and it
 * is never an i31. Every other word is a host reference (an opaque value an embedder passed in as an
 * externref).
 *
 * <p><b>Telling an object from a host word.</b> The host's words are not Kiln's to choose (an
 * embedder's externref is any 64 bits), so no tag bit can mark objects. Instead the store's heap is
 * one contiguous reservation whose bounds the store context holds ({@code artifact.vm.StoreLayout}
 * {@code gc_heap_base}, {@code gc_heap_top}): a word is an object exactly when it is 8-aligned and
 * inside {@code [gc_heap_base, gc_heap_top)}, one subtraction and one unsigned compare after the
 * i31 bit. Only then does a cast read the header at offset 0 (the object's runtime type id; word 4
 * the object's kind: an array's length, a struct's mark or an exception's, {@code
 * ObjectLayout.kindOf}). A word whose static type is a concrete struct or array
 * type is an object or null by validation, since such a value can only come from an allocation, a
 * cast, or another module's export: one the host hands in is checked against the type by its
 * header's type id ({@code loader.runtime.NativeStore.checkReference}).
 *
 * <p><b>The host's side.</b> An embedder's externref is any 64 bits; one with bit 0 set is, to the
 * guest, an i31 once internalised ({@code any.convert_extern}), and an 8-aligned one inside the
 * store's allocated heap is the object there. Compiled code never dereferences a word it has not
 * proven to be a heap object, so a host word outside the heap cannot make the guest read memory;
 * one inside it is trusted to be a word the same store handed out. The script runner passes {@code
 * (ref.extern n)} and {@code (ref.host n)} as small even words for that reason ({@code
 * dev.kiln.wast.WastValues}).
 */
package dev.kiln.artifact.gc;
