package dev.kiln.wat.ast;

/**
 * The limits of a table or memory with its address type (spec 6.4.5-6.4.7).
 *
 * @param address64 whether the address type is i64
 * @param min the minimum, as an unsigned bit pattern
 * @param max the maximum, or null
 */
public record Limits(boolean address64, long min, Long max) {}
