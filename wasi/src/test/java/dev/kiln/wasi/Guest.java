package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Rights;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A test guest: a 256 KiB native memory (as a wasm memory is: the kernel reads and writes it) with a bump allocator, a WASI instance whose fd 3 is the
 * given directory preopened as ".", captured stdout/stderr and a fixed stdin.
 */
final class Guest {
  static final int PREOPEN = 3;
  static final int MEMORY_SIZE = 1 << 18;

  final MemorySegment memory;
  final GuestMemory view;
  final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  final WasiPreview1 wasi;
  private int next = 1024;

  Guest(Path dir) throws IOException {
    this(dir, "", WasiConfig.builder());
  }

  Guest(Path dir, String stdin, WasiConfig.Builder config) throws IOException {
    this(dir, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), config);
  }

  Guest(Path dir, InputStream stdin, WasiConfig.Builder config) throws IOException {
    this(dir, MEMORY_SIZE, stdin, config.random(new SplittableRandom(42)));
  }

  /** A guest of {@code memorySize} bytes of memory, with the random source {@code config} names. */
  Guest(Path dir, long memorySize, InputStream stdin, WasiConfig.Builder config) throws IOException {
    memory = Arena.ofAuto().allocate(memorySize, 8);
    view = new GuestMemory(memory);
    if (dir != null) {
      config.preopen(new Preopen(dir, "."));
    }
    wasi = new WasiPreview1(config.stdin(stdin).stdout(stdout).stderr(stderr).build());
  }

  /** Reserves {@code size} bytes aligned to 8. */
  int alloc(int size) {
    int at = next;
    next = (next + size + 7) & ~7;
    return at;
  }

  int bytes(byte[] b) {
    int at = alloc(b.length);
    view.write(at, b);
    return at;
  }

  int string(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  static int len(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** An iovec array of one entry over {@code [buf, buf+len)}. */
  int iovec(int buf, int len) {
    int at = alloc(8);
    view.putI32(at, buf);
    view.putI32(at + 4, len);
    return at;
  }

  String text(int at, int len) {
    return new String(view.read(at, len), StandardCharsets.UTF_8);
  }

  /** path_open relative to the preopen with all rights; returns {errno, fd}. */
  int[] open(String path, int oflags, long rights) {
    int out = alloc(4);
    int errno = wasi.path().open(memory, PREOPEN, 1, string(path), len(path), oflags, rights,
        Rights.ALL, 0, out);
    return new int[] {errno, view.i32(out)};
  }

  int openOk(String path, int oflags, long rights) {
    int[] r = open(path, oflags, rights);
    if (r[0] != 0) {
      throw new AssertionError("path_open " + path + ": " + Errno.of(r[0]));
    }
    return r[1];
  }

  /** Writes {@code s} to {@code fd}; returns bytes written or throws on an errno. */
  int write(int fd, String s) {
    int out = alloc(4);
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int errno = wasi.fd().write(memory, fd, iovec(bytes(b), b.length), 1, out);
    if (errno != 0) {
      throw new AssertionError("fd_write: " + Errno.of(errno));
    }
    return view.i32(out);
  }

  /** Reads up to {@code max} bytes from {@code fd} as text. */
  String read(int fd, int max) {
    int buf = alloc(max);
    int out = alloc(4);
    int errno = wasi.fd().read(memory, fd, iovec(buf, max), 1, out);
    if (errno != 0) {
      throw new AssertionError("fd_read: " + Errno.of(errno));
    }
    return text(buf, view.i32(out));
  }
}
