package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasi.abi.Errno;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WasiFunctionTest {
  /** The 46 functions of wasi_snapshot_preview1.witx with their core-wasm parameter lists. */
  private static final String WITX = """
      args_get ii, args_sizes_get ii, environ_get ii, environ_sizes_get ii, clock_res_get ii,
      clock_time_get iIi, fd_advise iIIi, fd_allocate iII, fd_close i, fd_datasync i,
      fd_fdstat_get ii, fd_fdstat_set_flags ii, fd_fdstat_set_rights iII, fd_filestat_get ii,
      fd_filestat_set_size iI, fd_filestat_set_times iIIi, fd_pread iiiIi, fd_prestat_get ii,
      fd_prestat_dir_name iii, fd_pwrite iiiIi, fd_read iiii, fd_readdir iiiIi, fd_renumber ii,
      fd_seek iIii, fd_sync i, fd_tell ii, fd_write iiii, path_create_directory iii,
      path_filestat_get iiiii, path_filestat_set_times iiiiIIi, path_link iiiiiii,
      path_open iiiiiIIii, path_readlink iiiiii, path_remove_directory iii, path_rename iiiiii,
      path_symlink iiiii, path_unlink_file iii, poll_oneoff iiii, proc_exit i, proc_raise i,
      sched_yield -, random_get ii, sock_accept iii, sock_recv iiiiii, sock_send iiiii,
      sock_shutdown ii""";

  @Test
  void everyWitxFunctionIsPresentWithItsSignature() {
    Set<String> expected = Arrays.stream(WITX.split(","))
        .map(String::strip).collect(Collectors.toSet());
    Set<String> actual = Arrays.stream(WasiFunction.values()).map(f -> {
      StringBuilder sig = new StringBuilder();
      for (int i = 0; i < f.arity(); i++) {
        sig.append(f.isI64(i) ? 'I' : 'i');
      }
      return f.importName() + " " + (sig.isEmpty() ? "-" : sig);
    }).collect(Collectors.toSet());
    assertEquals(expected, actual);
    assertEquals(46, WasiFunction.values().length);
    assertFalse(WasiFunction.PROC_EXIT.returnsErrno());
    assertTrue(WasiFunction.FD_WRITE.returnsErrno());
  }

  @Test
  void invokeThroughTheTable() throws Exception {
    Guest g = new Guest(null);
    int text = g.string("via table");
    int iov = g.iovec(text, 9);
    int n = g.alloc(4);
    assertEquals(0, WasiFunction.byImportName("fd_write").orElseThrow()
        .invoke(g.wasi, g.memory, new long[] {1, iov, 1, n}));
    assertEquals("via table", g.stdout.toString());
    assertEquals(Errno.NOTSOCK.code(),
        WasiFunction.SOCK_SHUTDOWN.invoke(g.wasi, g.memory, new long[] {1, 0}));
    assertEquals(Errno.BADF.code(),
        WasiFunction.SOCK_SEND.invoke(g.wasi, g.memory, new long[] {50, 0, 0, 0, 0}));
    ProcExit exit = assertThrows(ProcExit.class,
        () -> WasiFunction.PROC_EXIT.invoke(g.wasi, g.memory, new long[] {3}));
    assertEquals(3, exit.code());
    assertTrue(WasiFunction.byImportName("nope").isEmpty());
  }
}
