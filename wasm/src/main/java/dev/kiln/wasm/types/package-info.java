/**
 * WebAssembly types (spec 2.3): value, function, limits, table, memory and global types. Immutable
 * records and enums shared by the decoder, validator, compiler and loader, so that every layer speaks
 * about types with the same values.
 *
 * <p>Two views of a value's type, one for each side of the validator. The precise type ({@link
 * dev.kiln.wasm.types.ValueType}: a number or vector {@link dev.kiln.wasm.types.ValType}, or a
 * {@link dev.kiln.wasm.types.RefType} with a {@link dev.kiln.wasm.types.HeapType}) is what the
 * decoder reads and validation and linking compare. Its representation ({@link
 * dev.kiln.wasm.types.ValueType#kind()}, a {@link dev.kiln.wasm.types.ValType}) is all the compiler
 * needs: how many bits a value has and which register class holds it; every reference is one
 * pointer-sized word. Typed function references and GC add heap types without the compiler learning
 * them.
 *
 * <p>Defined types (WebAssembly 3.0 spec 2.3.8, 3.2.2): a {@link dev.kiln.wasm.types.TypeSection}
 * holds recursion groups of {@link dev.kiln.wasm.types.SubType}s; {@link
 * dev.kiln.wasm.types.TypeRegistry} turns each group into its interned {@link
 * dev.kiln.wasm.types.CanonicalGroup} (iso-recursive equivalence: same shape, same type, across
 * modules), and {@link dev.kiln.wasm.types.TypeMatcher} decides subtyping over canonical types.
 * A {@link dev.kiln.wasm.types.CompositeType} is a function, a struct or an array type (GC), whose
 * fields are {@link dev.kiln.wasm.types.FieldType}s of a value or packed ({@link
 * dev.kiln.wasm.types.PackedType}) storage type. The any hierarchy shares the extern hierarchy's
 * representation (one word, {@code dev.kiln.artifact.gc} says how i31s are tagged in it).
 */
package dev.kiln.wasm.types;
