package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The records whose equals and hashCode are written out (for C1, which does not inline the generated
 * ones' invokedynamic) compare and hash as generated ones would: the same hash as a record of the
 * same components, so hash maps keyed by them iterate in the same order, and equal exactly when
 * every component is.
 */
class WrittenOutEqualityTest {
  private record GeneratedAbiParam(Type type, ParamPurpose purpose) {}

  private record GeneratedSignature(List<GeneratedAbiParam> params, List<GeneratedAbiParam> results) {}

  private record GeneratedUser(int namespace, int index) {}

  private record GeneratedExtFunc(GeneratedUser name, int sigRef) {}

  @Test
  void hashesAsGeneratedRecordsAndEqualsByComponents() {
    for (Type t : Type.values()) {
      for (ParamPurpose p : ParamPurpose.values()) {
        AbiParam a = new AbiParam(t, p);
        assertEquals(new GeneratedAbiParam(t, p).hashCode(), a.hashCode());
        assertEquals(a, new AbiParam(t, p));
        assertNotEquals(a, new AbiParam(t, p == ParamPurpose.NORMAL ? ParamPurpose.values()[1] : ParamPurpose.NORMAL));
      }
    }
    Signature s = Signature.of(List.of(Type.I64, Type.F32), List.of(Type.I32));
    GeneratedSignature g = new GeneratedSignature(
        List.of(new GeneratedAbiParam(Type.I64, ParamPurpose.NORMAL), new GeneratedAbiParam(Type.F32, ParamPurpose.NORMAL)),
        List.of(new GeneratedAbiParam(Type.I32, ParamPurpose.NORMAL)));
    assertEquals(g.hashCode(), s.hashCode());
    assertEquals(s, Signature.of(List.of(Type.I64, Type.F32), List.of(Type.I32)));
    assertNotEquals(s, Signature.of(List.of(Type.I64, Type.F32), List.of(Type.I64)));
    assertNotEquals(s, Signature.of(List.of(Type.I64), List.of(Type.I32)));
    for (int ns : new int[] {0, 1, -7, Integer.MAX_VALUE}) {
      for (int index : new int[] {0, 3, -1}) {
        ExternalName.User u = new ExternalName.User(ns, index);
        assertEquals(new GeneratedUser(ns, index).hashCode(), u.hashCode());
        assertEquals(u, new ExternalName.User(ns, index));
        assertNotEquals(u, new ExternalName.User(ns, index + 1));
        assertNotEquals(u, new ExternalName.User(ns + 1, index));
        ExtFuncData d = new ExtFuncData(u, 5);
        assertEquals(new GeneratedExtFunc(new GeneratedUser(ns, index), 5).hashCode(), d.hashCode());
        assertEquals(d, new ExtFuncData(new ExternalName.User(ns, index), 5));
        assertNotEquals(d, new ExtFuncData(u, 6));
      }
    }
  }
}
