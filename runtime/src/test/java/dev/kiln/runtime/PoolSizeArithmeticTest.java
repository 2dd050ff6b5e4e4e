package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.loader.sys.MappingCalls;
import dev.kiln.loader.sys.VirtualMemory;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Pool sizes chosen as an attacker of the arithmetic would: every combination of instance counts,
 * memories per instance and VMContext sizes around the 64-bit overflow edges. Each is either
 * accepted with exactly the address space that the sizes multiply to (computed here in {@link
 * BigInteger}, which cannot wrap), or refused with one {@link IllegalArgumentException} naming the
 * settings; a wrapped product would reserve too little (or nothing) for the slots the pool hands out.
 */
class PoolSizeArithmeticTest {
  private static final int[] INSTANCES = {1, 2, 3, 7, 255, 1 << 10, 1 << 16, 1 << 19, 1 << 20, 1 << 24, 1 << 30,
      Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
  private static final int[] MEMORIES = {0, 1, 2, 3, 1 << 10, 1 << 16, 1 << 20, 1 << 30, Integer.MAX_VALUE};
  private static final long[] VMCONTEXTS = {4096, 4097, 1 << 20, 1L << 32, 1L << 45, 1L << 50, 1L << 62,
      Long.MAX_VALUE - 2 * 65536, Long.MAX_VALUE - 1, Long.MAX_VALUE};
  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);
  /** Address space of a memory slot of a pool whose memories stop at 4 GiB: the 32-bit index space and its guard. */
  private static final long MEMORY_SLOT = MemoryGuard.RESERVATION_32 + MemoryGuard.LOADER_GUARD_BYTES;

  @Test
  void everyCombinationIsExactOrRefusedByName() {
    BigInteger page = BigInteger.valueOf(VirtualMemory.pageSize());
    // The default table per slot: its header and 20,000 slots in whole pages, and one guard page.
    BigInteger tableSlot = BigInteger.valueOf(TableStorage.HEADER_SIZE + 20_000L * TableStorage.SLOT_SIZE)
        .add(page).subtract(BigInteger.ONE).divide(page).multiply(page).add(page);
    int accepted = 0;
    int refused = 0;
    for (int instances : INSTANCES) {
      for (int memories : MEMORIES) {
        for (long vmContext : VMCONTEXTS) {
          BigInteger slot = BigInteger.valueOf(vmContext).add(page).subtract(BigInteger.ONE).divide(page).multiply(page);
          BigInteger n = BigInteger.valueOf(instances);
          BigInteger memoryBytes = BigInteger.valueOf(MEMORY_SLOT).multiply(BigInteger.valueOf(memories)).multiply(n);
          BigInteger tableBytes = tableSlot.multiply(n);
          BigInteger total = memoryBytes.add(tableBytes).add(slot.multiply(n));
          String what = instances + " x " + memories + " x " + vmContext;
          if (slot.compareTo(MAX) <= 0 && total.compareTo(MAX) <= 0) {
            PoolingAllocation sizes = new PoolingAllocation(instances, memories, 1L << 32, vmContext);
            assertEquals(total.longValueExact(), sizes.config().addressSpaceBytes(), what);
            assertEquals(memoryBytes.longValueExact(), sizes.config().memoryRegionBytes(), what);
            accepted++;
          } else {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PoolingAllocation(instances, memories, 1L << 32, vmContext), what);
            assertTrue(e.getMessage().contains("fit in a 64-bit byte count")
                && e.getMessage().contains(Integer.toString(instances)), e.getMessage());
            refused++;
          }
        }
      }
    }
    assertTrue(accepted > 100 && refused > 100, accepted + " accepted, " + refused + " refused");
  }

  @Test
  void theRedTeamsWrappingSizesAreOneIllegalArgumentException() {
    IllegalArgumentException wrapped = assertThrows(IllegalArgumentException.class,
        () -> PoolingAllocation.ofInstances(1 << 19).withMemoriesPerInstance(1 << 20));
    assertTrue(wrapped.getMessage().contains("memoriesPerInstance"), wrapped.getMessage());
    IllegalArgumentException all = assertThrows(IllegalArgumentException.class,
        () -> PoolingAllocation.ofInstances(Integer.MAX_VALUE));
    assertTrue(!all.getMessage().matches(".*-[0-9].*"), "no negative byte count: " + all.getMessage());
    IllegalArgumentException vmctx = assertThrows(IllegalArgumentException.class,
        () -> PoolingAllocation.ofInstances(4).withVmContextBytes(1L << 62));
    assertTrue(vmctx.getMessage().contains("vmContextBytes"), vmctx.getMessage());
  }

  @Test
  void vmContextRegionsCountAgainstTheProcessBudgetBeforeAnythingIsMapped() {
    // 3 x 32 TiB of VMContext and no memory or table: over the process's 64 TiB budget by the VMContexts alone.
    PoolingAllocation sizes = PoolingAllocation.ofInstances(3).withMemoriesPerInstance(0).withTablesPerInstance(0)
        .withVmContextBytes(1L << 45);
    long mappings = MappingCalls.MMAP.count();
    KilnException refused = assertThrows(KilnException.class, () -> Engine.builder().pooling(sizes).build());
    assertTrue(refused.getMessage().startsWith("cannot reserve " + (3L << 45) + " bytes of address space for an"
        + " instance pool of 3 slots"), refused.getMessage());
    assertEquals(mappings, MappingCalls.MMAP.count(), "refused before any mapping");
  }
}
