/**
 * Linking by name (WebAssembly 2.0 section 4.5.4): an {@link dev.kiln.loader.link.ImportNamespace}
 * collects definitions by their two-level import names in one store (host functions written in Java,
 * other instances' exports) and instantiates modules against them ("unknown import" for a missing
 * one).
 *
 * <p>The top of the loader, used by Kiln's own modules: the public API ({@code dev.kiln.runtime},
 * whose {@code Linker} wraps an import namespace), the CLI and WASI. It is not an API of its own;
 * embedders use {@code dev.kiln.runtime}.
 */
package dev.kiln.loader.link;
