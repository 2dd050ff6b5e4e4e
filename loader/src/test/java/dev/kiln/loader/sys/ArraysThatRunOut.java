package dev.kiln.loader.sys;

/**
 * Arrays from the Java heap except the {@code failing}-th one asked for (counting from 1, over
 * every kind), which throws the {@link OutOfMemoryError} a full heap would: where a growing table's
 * allocation fails, on cue (red team 24 F3 needed a 48 MiB heap and luck).
 */
public final class ArraysThatRunOut extends TableArrays {
  private final int failing;
  private int asked;

  public ArraysThatRunOut(int failing) {
    this.failing = failing;
  }

  /** Whether the failing allocation has been asked for (and failed). */
  public boolean ranOut() {
    return asked >= failing;
  }

  private void count() {
    if (++asked == failing) {
      throw new OutOfMemoryError("Java heap space (injected at allocation " + failing + ")");
    }
  }

  @Override
  public long[] longs(int length) {
    count();
    return super.longs(length);
  }

  @Override
  public int[] ints(int length) {
    count();
    return super.ints(length);
  }

  @Override
  public byte[] bytes(int length) {
    count();
    return super.bytes(length);
  }

  @Override
  public Class<?>[] classes(int length) {
    count();
    return super.classes(length);
  }

  @Override
  public Object[] objects(int length) {
    count();
    return super.objects(length);
  }

  @Override
  public <T> T[] copyOf(T[] original, int length) {
    count();
    return super.copyOf(original, length);
  }
}
