package jdk.test.whitebox;

/**
 * The one method of HotSpot's WhiteBox testing API that {@code UpcallReallocationFailureTest} uses.
 * HotSpot binds its natives to a class of this name when it is on the boot class path and the JVM
 * runs with {@code -XX:+UnlockDiagnosticVMOptions -XX:+WhiteBoxAPI} (HotSpot's whitebox.cpp,
 * {@code JVM_RegisterWhiteBoxMethods}; it warns about each of its methods this class lacks).
 */
public final class WhiteBox {
  private static native void registerNatives();

  static {
    registerNatives();
  }

  /**
   * Marks every compiled frame on the current thread's stack for deoptimisation, each done when
   * control returns to it; returns how many were marked.
   */
  public native int deoptimizeFrames(boolean makeNotEntrant);
}
