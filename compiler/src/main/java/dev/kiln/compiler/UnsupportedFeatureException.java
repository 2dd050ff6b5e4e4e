package dev.kiln.compiler;

/**
 * A valid module uses something the compiler does not implement yet (floats, SIMD, tables,
 * references, bulk memory, ...). The message names the operator, its module byte offset and the
 * function, e.g. {@code f32.add at 0x1a2 in function 5 is not supported yet}.
 */
public final class UnsupportedFeatureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String feature;
  private final int offset;
  private final int functionIndex;

  /**
   * @param feature the operator's text-format name, or a description of the feature
   * @param offset module byte offset where it occurs
   * @param functionIndex the function in the function index space (imports first)
   */
  public UnsupportedFeatureException(String feature, int offset, int functionIndex) {
    super(feature + " at 0x" + Integer.toHexString(offset) + " in function " + functionIndex
        + " is not supported yet");
    this.feature = feature;
    this.offset = offset;
    this.functionIndex = functionIndex;
  }

  public String feature() {
    return feature;
  }

  public int offset() {
    return offset;
  }

  public int functionIndex() {
    return functionIndex;
  }
}
