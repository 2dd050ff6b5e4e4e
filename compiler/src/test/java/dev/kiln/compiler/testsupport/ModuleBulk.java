package dev.kiln.compiler.testsupport;

import java.io.ByteArrayOutputStream;

/**
 * Valid modules whose size is module-level bulk an attacker chooses (issue 35, finding F2): {@code
 * n} function types, mutable globals, active data segments, active element segments or custom
 * sections, around one exported function {@code _start} of type {@code () -> ()} with an empty
 * body. Each cheap entry costs the decoder, the validator, the artifact writer, the loader and
 * instantiation a little, so {@code n} in the hundreds of thousands makes seconds of work from a few
 * megabytes; the budget tests use a few thousand, enough for several of the {@code
 * CompileDeadline.POLL_INTERVAL} slices each phase polls by.
 *
 * <p>Written in the binary format directly (spec 5.5), as the red team's {@code mk_counts.py}
 * writes them.
 */
public enum ModuleBulk {
  /** {@code n} extra types {@code (i32 x (i % 8)) -> ()}, distinct in groups of 8. */
  TYPES,
  /** {@code n} mutable i64 globals initialised to 0. */
  GLOBALS,
  /** A memory of one page and {@code n} active data segments of one byte at offset 0. */
  DATA_SEGMENTS,
  /** A table of one funcref and {@code n} active element segments of function 0 at offset 0. */
  ELEMENT_SEGMENTS,
  /** {@code n} empty custom sections named "c". */
  CUSTOM_SECTIONS;

  /** The module with {@code n} entries of this kind. */
  public byte[] module(int n) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    Bytes types = new Bytes().uleb(this == TYPES ? n + 1 : 1).raw(0x60, 0, 0);
    if (this == TYPES) {
      for (int i = 0; i < n; i++) {
        types.raw(0x60).uleb(i % 8);
        for (int p = 0; p < i % 8; p++) {
          types.raw(0x7F);
        }
        types.raw(0);
      }
    }
    section(out, 1, types);
    section(out, 3, new Bytes().raw(1, 0));
    if (this == ELEMENT_SEGMENTS) {
      section(out, 4, new Bytes().raw(1, 0x70, 0, 1)); // table funcref, min 1
    }
    if (this == DATA_SEGMENTS) {
      section(out, 5, new Bytes().raw(1, 0, 1)); // memory, min 1 page
    }
    if (this == GLOBALS) {
      Bytes globals = new Bytes().uleb(n);
      for (int i = 0; i < n; i++) {
        globals.raw(0x7E, 1, 0x42, 0, 0x0B); // mut i64 = i64.const 0
      }
      section(out, 6, globals);
    }
    section(out, 7, new Bytes().raw(1, 6).raw('_', 's', 't', 'a', 'r', 't').raw(0, 0));
    if (this == ELEMENT_SEGMENTS) {
      Bytes elements = new Bytes().uleb(n);
      for (int i = 0; i < n; i++) {
        elements.raw(0, 0x41, 0, 0x0B, 1, 0); // active, table 0, offset i32.const 0, [function 0]
      }
      section(out, 9, elements);
    }
    if (this == DATA_SEGMENTS) {
      section(out, 12, new Bytes().uleb(n));
    }
    section(out, 10, new Bytes().raw(1, 2, 0, 0x0B));
    if (this == DATA_SEGMENTS) {
      Bytes data = new Bytes().uleb(n);
      for (int i = 0; i < n; i++) {
        data.raw(0, 0x41, 0, 0x0B, 1, 0x41); // active, memory 0, offset i32.const 0, one byte
      }
      section(out, 11, data);
    }
    if (this == CUSTOM_SECTIONS) {
      for (int i = 0; i < n; i++) {
        section(out, 0, new Bytes().raw(1, 'c'));
      }
    }
    return out.toByteArray();
  }

  private static void section(ByteArrayOutputStream out, int id, Bytes payload) {
    out.write(id);
    out.writeBytes(new Bytes().uleb(payload.out.size()).out.toByteArray());
    out.writeBytes(payload.out.toByteArray());
  }

  /** A byte string being written: raw bytes and unsigned LEB128 (spec 5.2.2). */
  private static final class Bytes {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes raw(int... bytes) {
      for (int b : bytes) {
        out.write(b);
      }
      return this;
    }

    Bytes uleb(long value) {
      long v = value;
      do {
        int b = (int) (v & 0x7F);
        v >>>= 7;
        out.write(v == 0 ? b : b | 0x80);
      } while (v != 0);
      return this;
    }
  }
}
