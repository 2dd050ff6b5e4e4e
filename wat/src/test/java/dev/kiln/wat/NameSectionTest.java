package dev.kiln.wat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link Wat#toBinaryWithNames} ends the module with a name section (spec appendix, "Name
 * Section") carrying the text's identifiers by the indices the binary gives them; {@link
 * Wat#toBinary} writes none, and neither does a text without identifiers.
 */
class NameSectionTest {
  /**
   * An imported function comes first in the function index space, so the defined {@code $div} is
   * function 1; an anonymous function gets no entry; a function whose type is named by index has
   * unnamed parameters, and its declared local is numbered after them.
   */
  private static final String TEXT = """
      (module $calc
        (type $t (func (param i32)))
        (import "env" "log" (func $log (param i32)))
        (func $div (param $a i32) (param i32) (result i32) (local $q i32)
          (local.set $q (i32.div_u (local.get $a) (local.get 1))) (local.get $q))
        (func (type $t))
        (func $typed (type $t) (local $x i64)))
      """;

  @Test
  void identifiersLandInTheNameSectionByTheirBinaryIndices() {
    byte[] named = Wat.toBinaryWithNames(TEXT, "calc.wat");
    byte[] plain = Wat.toBinary(TEXT, "calc.wat");
    // The section is appended: everything before it is the module without names.
    assertArrayEquals(plain, Arrays.copyOf(named, plain.length));

    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    name(payload, "name");
    subsection(payload, 0, name("calc"));
    // Function names: 0 $log (imported), 1 $div, 3 $typed; function 2 has no identifier.
    subsection(payload, 1, concat(new byte[] {3}, new byte[] {0}, name("log"), new byte[] {1}, name("div"),
        new byte[] {3}, name("typed")));
    // Local names: function 1's $a (0) and $q (2), its second parameter unnamed; function 3's $x
    // after its one parameter from type $t.
    subsection(payload, 2, concat(new byte[] {2},
        new byte[] {1, 2, 0}, name("a"), new byte[] {2}, name("q"),
        new byte[] {3, 1, 1}, name("x")));
    byte[] expected = concat(new byte[] {0, (byte) payload.size()}, payload.toByteArray());
    assertArrayEquals(expected, Arrays.copyOfRange(named, plain.length, named.length));
  }

  @Test
  void aModuleWithoutIdentifiersGetsNoNameSection() {
    String text = "(module (func (param i32) (local i64)))";
    assertArrayEquals(Wat.toBinary(text, "m.wat"), Wat.toBinaryWithNames(text, "m.wat"));
  }

  private static byte[] name(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return concat(new byte[] {(byte) utf8.length}, utf8);
  }

  private static void name(ByteArrayOutputStream out, String text) {
    out.writeBytes(name(text));
  }

  private static void subsection(ByteArrayOutputStream out, int id, byte[] content) {
    out.write(id);
    out.write(content.length);
    out.writeBytes(content);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
