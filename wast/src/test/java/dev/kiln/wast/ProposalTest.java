package dev.kiln.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.wasm.Features;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-file wast2json flags, as the suite's convert.sh lists them. */
class ProposalTest {
  @Test
  void coreScriptsNeedNoFlags() {
    assertEquals(List.of(), Proposal.wast2jsonFlags(Path.of("/suite/core/binary.wast")));
    assertEquals(List.of(), Proposal.wast2jsonFlags(Path.of("somewhere/i32.wast")));
  }

  @Test
  void proposalScriptsEnableTheirProposal() {
    assertEquals(List.of("--enable-tail-call"),
        Proposal.wast2jsonFlags(Path.of("/suite/proposals/tail-call/return_call.wast")));
    assertEquals(List.of("--enable-extended-const"),
        Proposal.wast2jsonFlags(Path.of("/suite/proposals/extended-const/global.wast")));
    assertEquals(List.of("--enable-multi-memory"),
        Proposal.wast2jsonFlags(Path.of("/suite/proposals/multi-memory/binary.wast")));
    assertEquals(List.of("--enable-memory64"),
        Proposal.wast2jsonFlags(Path.of("/suite/proposals/memory64/memory.wast")));
  }

  @Test
  void memory64BinaryRunsWithReferenceTypesOff() {
    assertEquals(List.of("--enable-memory64", "--disable-reference-types"),
        Proposal.wast2jsonFlags(Path.of("/suite/proposals/memory64/binary.wast")));
  }

  @Test
  void theFrontEndGetsTheFeaturesTheFlagsStandFor() {
    assertEquals(Features.STANDARD, Proposal.features(Path.of("/suite/core/memory.wast")));
    assertEquals(Features.STANDARD, Proposal.features(Path.of("/suite/proposals/tail-call/return_call.wast")));
    assertEquals(Features.STANDARD.withExtendedConst(true),
        Proposal.features(Path.of("/suite/proposals/extended-const/elem.wast")));
    assertEquals(Features.STANDARD.withMultiMemory(true),
        Proposal.features(Path.of("/suite/proposals/multi-memory/memory.wast")));
    assertEquals(Features.STANDARD.withMemory64(true),
        Proposal.features(Path.of("/suite/proposals/memory64/memory64.wast")));
    assertEquals(Features.STANDARD.withMemory64(true).withReferenceTypes(false),
        Proposal.features(Path.of("/suite/proposals/memory64/binary.wast")));
  }

  @Test
  void anUnknownProposalFolderGetsNoFlags() {
    assertEquals(List.of(), Proposal.wast2jsonFlags(Path.of("/suite/proposals/gc/struct.wast")));
  }
}
