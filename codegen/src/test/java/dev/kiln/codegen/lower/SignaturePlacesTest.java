package dev.kiln.codegen.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each signature's places are worked out once for every function lowered, up to a bound. */
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

  @Test
  void pastItsCapacityItKeepsNoMore() {
    for (int i = 0; i < SignaturePlaces.CAPACITY; i++) {
      places.places(distinctSmall(i));
    }
    Signature beyond = distinctSmall(SignaturePlaces.CAPACITY);
    places.places(beyond);
    places.places(beyond);
    assertEquals(SignaturePlaces.CAPACITY + 2, laidOut.size(), "laid out each time, not kept");
    places.places(distinctSmall(0));
    assertEquals(SignaturePlaces.CAPACITY + 2, laidOut.size(), "the ones kept still are");
  }

  @Test
  void aSignatureOfManyValuesIsNotKept() {
    // The map outlives every module, whose types a hostile one chooses: a kept signature of a
    // thousand parameters would stay pinned for the process's life.
    Signature large = Signature.of(Collections.nCopies(SignaturePlaces.MAX_KEPT_VALUES + 1, Type.I64), List.of());
    places.places(large);
    places.places(large);
    assertEquals(2, laidOut.size(), "laid out each time, not kept");
  }

  /** The {@code n}-th of 2^13 distinct signatures of 12 parameters and one result, I32 or I64 each. */
  private static Signature distinctSmall(int n) {
    List<Type> params = new ArrayList<>();
    for (int bit = 0; bit < 12; bit++) {
      params.add((n >> bit & 1) == 0 ? Type.I32 : Type.I64);
    }
    return Signature.of(params, List.of((n >> 12 & 1) == 0 ? Type.I32 : Type.I64));
  }
}
