package dev.kiln.compiler.translate;

import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;
import dev.kiln.wasm.module.ConstExpr;
import dev.kiln.wasm.module.ElementSegment;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.ExternKind;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.SegmentMode;
import dev.kiln.wasm.types.CanonicalType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.TypeMatcher;
import dev.kiln.wasm.types.TableType;
import dev.kiln.wasm.types.ValType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The funcref tables whose slots never change once the module is instantiated, and which function
 * each of their slots holds; what {@code call_indirect} through such a table can call.
 *
 * <p>A table keeps what instantiation put in it when the module defines it (an imported table is
 * shared with code this compile does not see), does not export it (the embedder and other modules
 * reach a table only through an export) and no function body writes it: {@code table.set}, {@code
 * table.fill}, {@code table.grow}, {@code table.copy} and {@code table.init} are the only
 * instructions that change a table (spec 4.4.6), and the decoder lists the tables they name
 * ({@link Module#tablesWrittenByCode}). Such a table starts as {@code min} null slots and active
 * element segments are copied into it in order before any of the module's code runs (spec 4.5.4,
 * instantiation steps 15 and 16), so the last segment writing a slot decides what it holds.
 *
 * <p>Only what is certain is recorded: a slot written by an item that is not {@code ref.func} or
 * {@code ref.null} (a {@code global.get} of an imported reference) is unknown, and a table with a
 * segment whose offset is not one constant, or that does not fit, is left out entirely (its
 * instantiation either fails or writes slots this analysis cannot place). So is a table with a
 * segment after one that may trap, of any table: instantiation stops at a segment that traps and
 * applies none after it (spec 4.5.4), yet functions of the failed instance stay callable when an
 * earlier segment put them into an imported table, and those find the later segments' slots null.
 * A segment certainly fits when its offset is a constant and it ends within the table's minimum
 * (an imported table's declared minimum: import matching guarantees at least that size). Tables
 * whose segments write more than {@link #MAX_TRACKED_SLOTS} slots are left out too.
 */
public final class FixedTables {
  /** A slot whose content is not known at compile time. */
  private static final int UNKNOWN = -2;
  /** A null slot. */
  private static final int NULL = -1;
  /**
   * The most slot writes followed per table: a call_indirect compares with a handful of slots at
   * most, and a table larger than this is a dispatch table of many functions, whose per-slot map
   * would cost the compile memory for nothing.
   */
  private static final int MAX_TRACKED_SLOTS = 1 << 16;

  /** Per fixed table (by index): what call_indirect of each function type can reach through it. */
  private final Map<Integer, FixedTable> byTable;
  private final Module module;

  private FixedTables(Module module, Map<Integer, FixedTable> byTable) {
    this.module = module;
    this.byTable = byTable;
  }

  /**
   * One fixed table: the candidates per function type (canonical: two type indices name one type
   * exactly when their canonical types are equal, spec 3.0 3.2.2), and what a type with no slot gets.
   */
  private record FixedTable(Map<CanonicalType, Candidates> byType, Candidates none) {}

  /**
   * The functions that {@code call_indirect} of one type through a fixed table can reach: each slot
   * whose function's type matches that type (is it, or a declared subtype of it: spec 3.0 4.4.8.7),
   * beside the function it holds (function indices, imports first, in slot order). {@code exhaustive} is whether they are the only calls that can succeed:
   * no slot of the table is unknown, so every other index traps.
   */
  public record Candidates(long[] slots, int[] functions, boolean exhaustive) {
    public int count() {
      return slots.length;
    }
  }

  /** Finds the fixed tables of a validated module. */
  public static FixedTables of(Module module) {
    List<TableType> tables = module.allTables();
    Map<Integer, TreeMap<Long, Integer>> slots = new HashMap<>();
    for (int t = module.importedTableCount(); t < tables.size(); t++) {
      // a table with an initialiser does not start null, which the slot map below assumes
      if (tables.get(t).elementType() == ValType.FUNCREF && !module.tablesWrittenByCode().contains(t)
          && !module.tableInitialisers().containsKey(t - module.importedTableCount())) {
        slots.put(t, new TreeMap<>());
      }
    }
    for (Export e : module.exports()) {
      if (e.kind() == ExternKind.TABLE) {
        slots.remove(e.index());
      }
    }
    Map<Integer, Integer> writes = new HashMap<>();
    boolean mayHaveStopped = false; // an earlier active segment may have trapped
    for (ElementSegment segment : module.elements()) {
      if (!(segment.mode() instanceof SegmentMode.Active active)) {
        continue;
      }
      int t = active.index();
      long offset = constantOffset(active.offset());
      int n = segment.items().size();
      // unsigned: a 64-bit table's minimum is a u64; offset < 2^63 and n < 2^32 cannot wrap
      boolean fits = offset >= 0 && Long.compareUnsigned(offset + n, tables.get(t).limits().min()) <= 0;
      TreeMap<Long, Integer> table = slots.get(t);
      if (table != null) {
        if (mayHaveStopped || !fits || writes.merge(t, n, Integer::sum) > MAX_TRACKED_SLOTS) {
          slots.remove(t);
        } else {
          for (int i = 0; i < n; i++) {
            table.put(offset + i, item(segment.items(), i));
          }
        }
      }
      mayHaveStopped |= !fits;
    }
    List<Integer> typeOfFunction = module.allFunctionTypeIndices();
    Map<Integer, FixedTable> byTable = new HashMap<>();
    slots.forEach((table, contents) -> {
      boolean known = !contents.containsValue(UNKNOWN);
      Map<CanonicalType, List<Map.Entry<Long, Integer>>> byType = new HashMap<>();
      for (Map.Entry<Long, Integer> slot : contents.entrySet()) {
        if (slot.getValue() >= 0) {
          CanonicalType type = module.typeSection().matcher().canonical(typeOfFunction.get(slot.getValue()));
          byType.computeIfAbsent(type, k -> new ArrayList<>()).add(slot);
        }
      }
      Map<CanonicalType, Candidates> candidates = new HashMap<>();
      byType.forEach((type, list) -> candidates.put(type, new Candidates(
          list.stream().mapToLong(Map.Entry::getKey).toArray(),
          list.stream().mapToInt(Map.Entry::getValue).toArray(), known)));
      byTable.put(table, new FixedTable(candidates, new Candidates(new long[0], new int[0], known)));
    });
    return new FixedTables(module, byTable);
  }

  /**
   * The calls {@code call_indirect (type typeIndex)} through {@code table} can make, or empty if
   * the table is not fixed.
   */
  public Optional<Candidates> candidates(int table, int typeIndex) {
    FixedTable fixed = byTable.get(table);
    if (fixed == null) {
      return Optional.empty();
    }
    CanonicalType expected = module.typeSection().matcher().canonical(typeIndex);
    if (module.typeSection().subTypes().get(typeIndex).isFinal()) {
      // a final type has no subtypes: only slots of exactly this type can be called
      return Optional.of(fixed.byType().getOrDefault(expected, fixed.none()));
    }
    TreeMap<Long, Integer> matching = new TreeMap<>();
    fixed.byType().forEach((type, c) -> {
      if (TypeMatcher.closedHeapMatches(new HeapType.Canonical(type), new HeapType.Canonical(expected))) {
        for (int i = 0; i < c.count(); i++) {
          matching.put(c.slots()[i], c.functions()[i]);
        }
      }
    });
    return Optional.of(new Candidates(matching.keySet().stream().mapToLong(Long::longValue).toArray(),
        matching.values().stream().mapToInt(Integer::intValue).toArray(), fixed.none().exhaustive()));
  }

  /**
   * The value of an offset that is one {@code i32.const} (unsigned) or, for a 64-bit table, one
   * {@code i64.const} below 2^63; -1 for anything else (an offset of 2^63 or more fits no table).
   */
  private static long constantOffset(ConstExpr expr) {
    InstructionReader reader = reader(expr);
    Opcode op = reader.hasNext() ? reader.next() : Opcode.END;
    long value = switch (op) {
      case I32_CONST -> Integer.toUnsignedLong(reader.i32());
      case I64_CONST -> reader.i64();
      default -> -1;
    };
    return value >= 0 && reader.hasNext() && reader.next() == Opcode.END ? value : -1;
  }

  private static int item(ElementSegment.Items items, int i) {
    return switch (items) {
      case ElementSegment.FunctionIndices f -> f.function(i);
      case ElementSegment.Expressions x -> {
        InstructionReader reader = reader(x.exprs().get(i));
        Opcode op = reader.hasNext() ? reader.next() : Opcode.END;
        int value = switch (op) {
          case REF_FUNC -> reader.index();
          case REF_NULL -> NULL;
          default -> UNKNOWN;
        };
        yield reader.hasNext() && reader.next() == Opcode.END ? value : UNKNOWN;
      }
    };
  }

  private static InstructionReader reader(ConstExpr expr) {
    return new InstructionReader(expr.source(), expr.start(), expr.end());
  }
}
