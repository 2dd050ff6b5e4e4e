package example;

import dev.kiln.runtime.Trap;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls the module kiln-maven-plugin compiled at build time through the class it generated
 * ({@code example.Kernels}): a host function as a lambda, i64 arguments, several results, the
 * module's memory and global, and a trap. Exits non-zero if any result is wrong.
 */
public final class BuildTime {
  private BuildTime() {}

  public static void main(String[] args) {
    List<Integer> steps = new ArrayList<>();
    try (Kernels kernels = Kernels.builder().env(steps::add).instantiate()) {
      long gcd = kernels.gcd(8481249L, 3658578L);
      System.out.println("gcd(8481249, 3658578) = " + gcd + " in " + steps.size() + " steps " + steps);
      check(gcd == 166299 && steps.size() == 3, "gcd");
      check(steps.getFirst() == 3658578, "the host function's first argument");

      Kernels.DivModResult qr = kernels.divMod(47, 5);
      System.out.println("divMod(47, 5) = " + qr);
      check(qr.r0() == 9 && qr.r1() == 2, "divMod");

      byte[] text = "build time".getBytes(StandardCharsets.US_ASCII);
      kernels.memory().write(100, text);
      int sum = kernels.sumBytes(100, text.length);
      int expected = 0;
      for (byte b : text) {
        expected += b;
      }
      System.out.println("sumBytes(\"build time\") = " + sum);
      check(sum == expected, "sumBytes");

      check(kernels.scale(1.5f, 4.0) == 6.0, "scale");
      check(kernels.calls().get().asLong() == 1, "the calls global");

      try {
        kernels.divMod(1, 0);
        check(false, "divMod(1, 0) should trap");
      } catch (Trap trap) {
        System.out.println("divMod(1, 0): " + trap.getMessage());
      }
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.err.println("build-time example: wrong " + what);
      System.exit(1);
    }
  }
}
