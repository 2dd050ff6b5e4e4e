package dev.kiln.wasm.validate;

import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.code.Opcode;

/**
 * The typing rules of the table instructions and of bulk memory's segment instructions (spec 3.3.6
 * and 3.3.7: table.get to table.init, elem.drop, memory.init, data.drop, memory.copy), on the stacks
 * of the {@link FunctionValidator} that validates the body.
 */
final class TableInstructionRules {
  private final FunctionValidator v;

  TableInstructionRules(FunctionValidator v) {
    this.v = v;
  }

  /** Types {@code op}, one of this family's instructions, whose immediates {@code r} holds. */
  void validate(Opcode op, InstructionReader r) {
    switch (op) {
      case TABLE_GET -> {
        int t = v.table(r.index());
        v.popExpect(v.tableAddressTypes[r.index()]);
        v.push(t);
      }
      case TABLE_SET -> {
        int t = v.table(r.index());
        v.popExpect(t);
        v.popExpect(v.tableAddressTypes[r.index()]);
      }
      case TABLE_SIZE -> {
        v.table(r.index());
        v.push(v.tableAddressTypes[r.index()]);
      }
      case TABLE_GROW -> {
        int t = v.table(r.index());
        int address = v.tableAddressTypes[r.index()];
        v.popExpect(address);
        v.popExpect(t);
        v.push(address);
      }
      case TABLE_FILL -> {
        int t = v.table(r.index());
        int address = v.tableAddressTypes[r.index()];
        v.popExpect(address);
        v.popExpect(t);
        v.popExpect(address);
      }
      case TABLE_COPY -> {
        int destination = v.table(r.index());
        int source = v.table(r.secondIndex());
        if (!v.matches(source, destination)) {
          throw v.invalid("type mismatch");
        }
        // the length is i64 only when both tables are 64-bit (the minimum of the address types)
        int destinationAddress = v.tableAddressTypes[r.index()];
        int sourceAddress = v.tableAddressTypes[r.secondIndex()];
        v.popExpect(destinationAddress == FunctionValidator.I64 && sourceAddress == FunctionValidator.I64 ? FunctionValidator.I64 : FunctionValidator.I32);
        v.popExpect(sourceAddress);
        v.popExpect(destinationAddress);
      }
      case TABLE_INIT -> {
        int t = v.table(r.secondIndex());
        int e = v.element(r.index());
        if (!v.matches(e, t)) {
          throw v.invalid("type mismatch");
        }
        // the segment offset and length are i32, the table index the table's address type
        v.popExpect(FunctionValidator.I32);
        v.popExpect(FunctionValidator.I32);
        v.popExpect(v.tableAddressTypes[r.secondIndex()]);
      }
      case ELEM_DROP -> v.element(r.index());
      case MEMORY_INIT -> {
        int address = v.memory(r.secondIndex());
        v.data(r.index());
        v.popExpect(FunctionValidator.I32);
        v.popExpect(FunctionValidator.I32);
        v.popExpect(address);
      }
      case DATA_DROP -> v.data(r.index());
      case MEMORY_COPY -> {
        // memory64: sizes are i64 only when both memories are 64-bit
        int destination = v.memory(r.index());
        int source = v.memory(r.secondIndex());
        v.popExpect(destination == FunctionValidator.I64 && source == FunctionValidator.I64 ? FunctionValidator.I64 : FunctionValidator.I32);
        v.popExpect(source);
        v.popExpect(destination);
      }
      default -> throw new IllegalStateException("no typing rule for " + op.name());
    }
  }
}
