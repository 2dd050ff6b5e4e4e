package dev.kiln.codegen;

/**
 * A function a {@link Backend} has {@linkplain Backend#lower lowered}, waiting for the same backend's
 * {@link Backend#emit}. What it holds is the backend's own; it holds nothing of the IR function it
 * came from, so the IR can be freed or reused before the function is emitted.
 */
public interface LoweredFunction {}
