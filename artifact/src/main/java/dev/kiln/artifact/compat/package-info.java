/**
 * The compatibility header ({@code .kiln.compat}): what a loader must check before it trusts any
 * code in a {@code .cwasm}: format version, the Kiln version that wrote it, the target, and every
 * setting that changes generated code (e.g. {@code table_lazy_init}, {@code epoch_interruption},
 * CPU features). Kept in its own
 * small section, first in the file, so it can be read and checked before anything else; modelled on
 * the facts of Wasmtime's {@code .wasmtime.engine} check ({@code
 * crates/wasmtime/src/engine/serialization.rs}).
 */
package dev.kiln.artifact.compat;
