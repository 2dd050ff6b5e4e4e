package dev.kiln.wasi;

import java.lang.foreign.MemorySegment;

/**
 * The imports of module {@value #MODULE}: name, core-wasm signature and the Java function it calls.
 * Signatures are the witx-to-core lowering of wasi_snapshot_preview1.witx: pointers, sizes, fds and
 * flags of up to 32 bits are i32; filesize, filedelta, timestamp, rights, dircookie and userdata are
 * i64; every function but proc_exit returns its errno as one i32. A binding to a host-function API
 * walks {@link #values()} and calls {@link #invoke}.
 */
public enum WasiFunction {
  ARGS_GET("args_get", "ii", (w, m, a) -> w.process().argsGet(m, i(a, 0), i(a, 1))),
  ARGS_SIZES_GET("args_sizes_get", "ii",
      (w, m, a) -> w.process().argsSizesGet(m, i(a, 0), i(a, 1))),
  ENVIRON_GET("environ_get", "ii", (w, m, a) -> w.process().environGet(m, i(a, 0), i(a, 1))),
  ENVIRON_SIZES_GET("environ_sizes_get", "ii",
      (w, m, a) -> w.process().environSizesGet(m, i(a, 0), i(a, 1))),
  CLOCK_RES_GET("clock_res_get", "ii",
      (w, m, a) -> w.process().clockResGet(m, i(a, 0), i(a, 1))),
  CLOCK_TIME_GET("clock_time_get", "iIi",
      (w, m, a) -> w.process().clockTimeGet(m, i(a, 0), a[1], i(a, 2))),
  FD_ADVISE("fd_advise", "iIIi", (w, m, a) -> w.fd().advise(i(a, 0), a[1], a[2], i(a, 3))),
  FD_ALLOCATE("fd_allocate", "iII", (w, m, a) -> w.fd().allocate(i(a, 0), a[1], a[2])),
  FD_CLOSE("fd_close", "i", (w, m, a) -> w.fd().close(i(a, 0))),
  FD_DATASYNC("fd_datasync", "i", (w, m, a) -> w.fd().datasync(i(a, 0))),
  FD_FDSTAT_GET("fd_fdstat_get", "ii",
      (w, m, a) -> w.fdStatus().fdstatGet(m, i(a, 0), i(a, 1))),
  FD_FDSTAT_SET_FLAGS("fd_fdstat_set_flags", "ii",
      (w, m, a) -> w.fdStatus().fdstatSetFlags(i(a, 0), i(a, 1))),
  FD_FDSTAT_SET_RIGHTS("fd_fdstat_set_rights", "iII",
      (w, m, a) -> w.fdStatus().fdstatSetRights(i(a, 0), a[1], a[2])),
  FD_FILESTAT_GET("fd_filestat_get", "ii",
      (w, m, a) -> w.fdStatus().filestatGet(m, i(a, 0), i(a, 1))),
  FD_FILESTAT_SET_SIZE("fd_filestat_set_size", "iI",
      (w, m, a) -> w.fdStatus().filestatSetSize(i(a, 0), a[1])),
  FD_FILESTAT_SET_TIMES("fd_filestat_set_times", "iIIi",
      (w, m, a) -> w.fdStatus().filestatSetTimes(i(a, 0), a[1], a[2], i(a, 3))),
  FD_PREAD("fd_pread", "iiiIi",
      (w, m, a) -> w.fd().pread(m, i(a, 0), i(a, 1), i(a, 2), a[3], i(a, 4))),
  FD_PRESTAT_GET("fd_prestat_get", "ii",
      (w, m, a) -> w.fdStatus().prestatGet(m, i(a, 0), i(a, 1))),
  FD_PRESTAT_DIR_NAME("fd_prestat_dir_name", "iii",
      (w, m, a) -> w.fdStatus().prestatDirName(m, i(a, 0), i(a, 1), i(a, 2))),
  FD_PWRITE("fd_pwrite", "iiiIi",
      (w, m, a) -> w.fd().pwrite(m, i(a, 0), i(a, 1), i(a, 2), a[3], i(a, 4))),
  FD_READ("fd_read", "iiii", (w, m, a) -> w.fd().read(m, i(a, 0), i(a, 1), i(a, 2), i(a, 3))),
  FD_READDIR("fd_readdir", "iiiIi",
      (w, m, a) -> w.fdStatus().readdir(m, i(a, 0), i(a, 1), i(a, 2), a[3], i(a, 4))),
  FD_RENUMBER("fd_renumber", "ii", (w, m, a) -> w.fd().renumber(i(a, 0), i(a, 1))),
  FD_SEEK("fd_seek", "iIii", (w, m, a) -> w.fd().seek(m, i(a, 0), a[1], i(a, 2), i(a, 3))),
  FD_SYNC("fd_sync", "i", (w, m, a) -> w.fd().sync(i(a, 0))),
  FD_TELL("fd_tell", "ii", (w, m, a) -> w.fd().tell(m, i(a, 0), i(a, 1))),
  FD_WRITE("fd_write", "iiii", (w, m, a) -> w.fd().write(m, i(a, 0), i(a, 1), i(a, 2), i(a, 3))),
  PATH_CREATE_DIRECTORY("path_create_directory", "iii",
      (w, m, a) -> w.path().createDirectory(m, i(a, 0), i(a, 1), i(a, 2))),
  PATH_FILESTAT_GET("path_filestat_get", "iiiii",
      (w, m, a) -> w.path().filestatGet(m, i(a, 0), i(a, 1), i(a, 2), i(a, 3), i(a, 4))),
  PATH_FILESTAT_SET_TIMES("path_filestat_set_times", "iiiiIIi",
      (w, m, a) -> w.path().filestatSetTimes(m, i(a, 0), i(a, 1), i(a, 2), i(a, 3), a[4], a[5],
          i(a, 6))),
  PATH_LINK("path_link", "iiiiiii",
      (w, m, a) -> w.path().link(m, i(a, 0), i(a, 1), i(a, 2), i(a, 3), i(a, 4), i(a, 5),
          i(a, 6))),
  PATH_OPEN("path_open", "iiiiiIIii",
      (w, m, a) -> w.path().open(m, i(a, 0), i(a, 1), i(a, 2), i(a, 3), i(a, 4), a[5], a[6],
          i(a, 7), i(a, 8))),
  PATH_READLINK("path_readlink", "iiiiii",
      (w, m, a) -> w.path().readlink(m, i(a, 0), i(a, 1), i(a, 2), i(a, 3), i(a, 4), i(a, 5))),
  PATH_REMOVE_DIRECTORY("path_remove_directory", "iii",
      (w, m, a) -> w.path().removeDirectory(m, i(a, 0), i(a, 1), i(a, 2))),
  PATH_RENAME("path_rename", "iiiiii",
      (w, m, a) -> w.path().rename(m, i(a, 0), i(a, 1), i(a, 2), i(a, 3), i(a, 4), i(a, 5))),
  PATH_SYMLINK("path_symlink", "iiiii",
      (w, m, a) -> w.path().symlink(m, i(a, 0), i(a, 1), i(a, 2), i(a, 3), i(a, 4))),
  PATH_UNLINK_FILE("path_unlink_file", "iii",
      (w, m, a) -> w.path().unlinkFile(m, i(a, 0), i(a, 1), i(a, 2))),
  POLL_ONEOFF("poll_oneoff", "iiii",
      (w, m, a) -> w.poll().pollOneoff(m, i(a, 0), i(a, 1), i(a, 2), i(a, 3))),
  PROC_EXIT("proc_exit", "i", false, (w, m, a) -> {
    w.process().procExit(i(a, 0));
    return 0;
  }),
  PROC_RAISE("proc_raise", "i", (w, m, a) -> w.process().procRaise(i(a, 0))),
  SCHED_YIELD("sched_yield", "", (w, m, a) -> w.process().schedYield()),
  RANDOM_GET("random_get", "ii", (w, m, a) -> w.process().randomGet(m, i(a, 0), i(a, 1))),
  SOCK_ACCEPT("sock_accept", "iii", (w, m, a) -> w.sockets().onDescriptor(i(a, 0))),
  SOCK_RECV("sock_recv", "iiiiii", (w, m, a) -> w.sockets().onDescriptor(i(a, 0))),
  SOCK_SEND("sock_send", "iiiii", (w, m, a) -> w.sockets().onDescriptor(i(a, 0))),
  SOCK_SHUTDOWN("sock_shutdown", "ii", (w, m, a) -> w.sockets().onDescriptor(i(a, 0)));

  /** The import module name. */
  public static final String MODULE = "wasi_snapshot_preview1";

  /** Calls the function; {@code args} holds i32 arguments in their low 32 bits. */
  @FunctionalInterface
  public interface Invoker {
    int invoke(WasiPreview1 wasi, MemorySegment memory, long[] args);
  }

  private final String importName;
  private final String params;
  private final boolean returnsErrno;
  private final Invoker invoker;

  WasiFunction(String importName, String params, Invoker invoker) {
    this(importName, params, true, invoker);
  }

  WasiFunction(String importName, String params, boolean returnsErrno, Invoker invoker) {
    this.importName = importName;
    this.params = params;
    this.returnsErrno = returnsErrno;
    this.invoker = invoker;
  }

  /** The field name under {@value #MODULE}. */
  public String importName() {
    return importName;
  }

  /** Parameter count. */
  public int arity() {
    return params.length();
  }

  /** Whether parameter {@code index} is an i64 (otherwise an i32). */
  public boolean isI64(int index) {
    return params.charAt(index) == 'I';
  }

  /** Whether the function returns an i32 errno (all but proc_exit, which returns nothing). */
  public boolean returnsErrno() {
    return returnsErrno;
  }

  public int invoke(WasiPreview1 wasi, MemorySegment memory, long[] args) {
    return invoker.invoke(wasi, memory, args);
  }

  /** The function imported as {@code name}, if WASI preview1 has one. */
  public static java.util.Optional<WasiFunction> byImportName(String name) {
    for (WasiFunction f : values()) {
      if (f.importName.equals(name)) {
        return java.util.Optional.of(f);
      }
    }
    return java.util.Optional.empty();
  }

  private static int i(long[] args, int index) {
    return (int) args[index];
  }
}
