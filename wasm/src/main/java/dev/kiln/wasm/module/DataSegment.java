package dev.kiln.wasm.module;

/**
 * A data segment (spec 2.5.8): its mode and its bytes {@code source[start, start + length)}.
 *
 * @param offset module offset of the segment, for error messages
 */
public record DataSegment(SegmentMode mode, byte[] source, int start, int length, int offset) {}
