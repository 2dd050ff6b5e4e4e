package dev.kiln.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.wasm.Features;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The features a script of the 2022 suite is judged with, by its folder. */
class ProposalTest {
  @Test
  void coreScriptsAndUnknownProposalsGetTheStandardFeatures() {
    assertEquals(Features.STANDARD, Proposal.features(Path.of("/suite/core/binary.wast")));
    assertEquals(Features.STANDARD, Proposal.features(Path.of("somewhere/i32.wast")));
    assertEquals(Features.STANDARD, Proposal.features(Path.of("/suite/proposals/gc/struct.wast")));
  }

  @Test
  void proposalScriptsEnableTheirProposal() {
    assertEquals(Features.STANDARD, Proposal.features(Path.of("/suite/proposals/tail-call/return_call.wast")));
    assertEquals(Features.STANDARD.withExtendedConst(true),
        Proposal.features(Path.of("/suite/proposals/extended-const/elem.wast")));
    assertEquals(Features.STANDARD.withMultiMemory(true),
        Proposal.features(Path.of("/suite/proposals/multi-memory/memory.wast")));
    assertEquals(Features.STANDARD.withMemory64(true),
        Proposal.features(Path.of("/suite/proposals/memory64/memory64.wast")));
  }

  @Test
  void memory64BinaryRunsWithReferenceTypesOff() {
    assertEquals(Features.STANDARD.withMemory64(true).withReferenceTypes(false),
        Proposal.features(Path.of("/suite/proposals/memory64/binary.wast")));
  }
}
