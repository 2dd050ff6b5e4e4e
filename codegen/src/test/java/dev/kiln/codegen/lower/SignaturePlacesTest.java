package dev.kiln.codegen.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each signature's places are worked out once for every function of a compile. */
class SignaturePlacesTest {
  private final List<Signature> laidOut = new ArrayList<>();
  private final SignaturePlaces places = new SignaturePlaces(sig -> {
    laidOut.add(sig);
    return new CallLowering.Places(List.of(), List.of(), 8 * sig.params().size(), 0);
  });

  @Test
  void equalSignaturesOfTwoFunctionsAreLaidOutOnce() {
    // Two functions' graphs hold signatures of their own, equal but not the same objects.
    Signature first = Signature.of(List.of(Type.I32, Type.I64), List.of(Type.I32));
    Signature second = Signature.of(List.of(Type.I32, Type.I64), List.of(Type.I32));
    CallLowering.Places a = places.places(first);
    assertSame(a, places.places(second));
    assertSame(a, places.places(first));
    assertEquals(List.of(first), laidOut);
    places.places(Signature.of(List.of(Type.F64), List.of()));
    assertEquals(2, laidOut.size());
  }
}
