package dev.kiln.artifact.index;

import dev.kiln.artifact.FuncKeyKind;
import dev.kiln.artifact.internal.SectionReader;

/**
 * The structural checks {@link FunctionIndex#open} runs once, so that lookups afterwards need none:
 * exact section size, namespaces valid and strictly increasing, runs partitioning the slots in
 * order and not overlapping inside a namespace, start offsets non-decreasing and inside {@code
 * .text}, and the first and last slot of each run present (holes only inside runs).
 */
final class IndexValidator {
  /** The counts of a validated index; {@code functionCount} excludes holes. */
  record Counts(int namespaceCount, int runCount, int slotCount, int functionCount) {}

  private IndexValidator() {}

  static Counts validate(SectionReader in, long textSize) {
    long namespaceCount = Integer.toUnsignedLong(in.u32(0, "namespace count"));
    long runCount = Integer.toUnsignedLong(in.u32(4, "run count"));
    long slotCount = Integer.toUnsignedLong(in.u32(8, "slot count"));
    long expected = IndexLayout.totalBytes(namespaceCount, runCount, slotCount);
    if (expected != in.size()) {
      throw in.corrupt(0, "size is " + in.size() + " bytes but " + namespaceCount + " namespaces, " + runCount
          + " runs and " + slotCount + " slots need " + expected);
    }
    if ((namespaceCount == 0) != (runCount == 0) || (runCount == 0) != (slotCount == 0)) {
      throw in.corrupt(0, namespaceCount + " namespaces, " + runCount + " runs and " + slotCount
          + " slots: all must be zero or all non-zero");
    }
    if (namespaceCount > runCount || runCount > slotCount) {
      throw in.corrupt(0, "more namespaces than runs or more runs than slots");
    }
    int namespaces = (int) namespaceCount;
    int runs = (int) runCount;
    int slots = (int) slotCount;
    long startsOffset = IndexLayout.startsOffset(namespaceCount, runCount);

    int functionCount = checkStarts(in, startsOffset, slots, textSize);
    checkNamespaces(in, namespaces, runs);
    checkRuns(in, namespaces, runs, slots, startsOffset);
    return new Counts(namespaces, runs, slots, functionCount);
  }

  private static int checkStarts(SectionReader in, long startsOffset, int slots, long textSize) {
    int functionCount = 0;
    int previous = 0;
    for (int s = 0; s <= slots; s++) {
      int start = in.u32(startsOffset + 4L * s, "start offset");
      if (start < 0 || start < previous) {
        throw in.corrupt(startsOffset + 4L * s, "start offset of slot " + s + " (" + Integer.toUnsignedString(start)
            + ") is below the previous one (" + previous + ")");
      }
      if (s > 0 && start > previous) {
        functionCount++;
      }
      previous = start;
    }
    if (previous > textSize) {
      throw in.corrupt(startsOffset + 4L * slots,
          "functions end at " + previous + ", past the end of .text (" + textSize + " bytes)");
    }
    return functionCount;
  }

  private static void checkNamespaces(SectionReader in, int namespaces, int runs) {
    for (int ns = 0; ns < namespaces; ns++) {
      long at = IndexLayout.namespacesOffset() + (long) ns * IndexLayout.NAMESPACE_BYTES;
      int namespace = in.u32(at, "namespace");
      int firstRun = in.u32(at + 4, "namespace first run");
      if (!FuncKeyKind.isValidNamespace(namespace)) {
        throw in.corrupt(at, "namespace " + ns + " (0x" + Integer.toHexString(namespace) + ") names no FuncKey kind");
      }
      if (ns == 0 ? firstRun != 0 : Integer.compareUnsigned(firstRun, runs) >= 0) {
        throw in.corrupt(at + 4, "namespace " + ns + " starts at run " + Integer.toUnsignedString(firstRun)
            + (ns == 0 ? ", not 0" : ", outside the " + runs + " runs"));
      }
      if (ns > 0) {
        int previousNamespace = in.u32(at - IndexLayout.NAMESPACE_BYTES, "namespace");
        int previousFirstRun = in.u32(at - IndexLayout.NAMESPACE_BYTES + 4, "namespace first run");
        if (Integer.compareUnsigned(previousNamespace, namespace) >= 0) {
          throw in.corrupt(at, "namespaces not strictly increasing at entry " + ns);
        }
        if (previousFirstRun >= firstRun) {
          throw in.corrupt(at + 4, "namespace " + ns + " has no runs (first runs not strictly increasing)");
        }
      }
    }
  }

  private static void checkRuns(SectionReader in, int namespaces, int runs, int slots, long startsOffset) {
    long runsOffset = IndexLayout.runsOffset(namespaces);
    int ns = 0;
    long previousEndIndex = 0; // one past the previous run's last index, within the namespace
    for (int r = 0; r < runs; r++) {
      long at = runsOffset + (long) r * IndexLayout.RUN_BYTES;
      long firstIndex = Integer.toUnsignedLong(in.u32(at, "run first index"));
      int firstSlot = in.u32(at + 4, "run first slot");
      int endSlot = r + 1 < runs ? in.u32(at + IndexLayout.RUN_BYTES + 4, "run first slot") : slots;
      if (r == 0 ? firstSlot != 0 : firstSlot < 0 || firstSlot >= slots) {
        throw in.corrupt(at + 4, "run " + r + " starts at slot " + Integer.toUnsignedString(firstSlot)
            + (r == 0 ? ", not 0" : ", outside the " + slots + " slots"));
      }
      if (endSlot <= firstSlot || endSlot > slots) {
        throw in.corrupt(at + 4, "run " + r + " has no slots or its slots are out of order");
      }
      if (firstIndex + (endSlot - firstSlot) > 0x1_0000_0000L) {
        throw in.corrupt(at, "run " + r + " runs past the largest u32 index");
      }
      boolean startsNamespace = ns + 1 < namespaces
          && in.u32(IndexLayout.namespacesOffset() + (long) (ns + 1) * IndexLayout.NAMESPACE_BYTES + 4,
              "namespace first run") == r;
      if (startsNamespace) {
        ns++;
      } else if (r > 0 && firstIndex < previousEndIndex) {
        throw in.corrupt(at, "run " + r + " overlaps the previous run of its namespace (first index " + firstIndex
            + " < " + previousEndIndex + ")");
      }
      previousEndIndex = firstIndex + (endSlot - firstSlot);
      if (slotIsEmpty(in, startsOffset, firstSlot) || slotIsEmpty(in, startsOffset, endSlot - 1)) {
        throw in.corrupt(at + 4, "run " + r + " begins or ends with an empty slot");
      }
    }
  }

  private static boolean slotIsEmpty(SectionReader in, long startsOffset, int slot) {
    return in.u32(startsOffset + 4L * slot, "start offset") == in.u32(startsOffset + 4L * slot + 4, "start offset");
  }
}
