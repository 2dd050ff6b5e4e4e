/**
 * What every compiler stage shares: the failures it reports. {@link
 * dev.kiln.compiler.UnsupportedFeatureException} says which valid wasm operator the compiler cannot
 * translate yet, so a user learns where and what instead of seeing a crash further down.
 */
package dev.kiln.compiler;
