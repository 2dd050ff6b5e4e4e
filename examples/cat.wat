;; A small WASI command (used by kiln run's tests and the JVM AOT training run): prints its first argument and a line, then copies the file
;; named by its second argument (opened under the first preopen, fd 3) to stdout, and exits with
;; proc_exit(the file's length mod 256) so the exit status is checked too.
;;
;; Around that it does what a C or Rust program's start-up does, so that the training run loads what
;; real programs use (a mutable stack-pointer global, a data segment, a funcref table called
;; through, and the WASI calls wasi-libc makes before main: the preopens, stdout's fdstat, the
;; environment, the clock, random bytes; then a file's filestat, a seek and a close). Their results
;; are not needed, so a failure of one changes nothing the tests check.
(module
  (type $write_t (func (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_get" (func $fd_prestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name"
    (func $fd_prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get" (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_filestat_get" (func $fd_filestat_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (memory (export "memory") 1)
  ;; 0..: scratch words; 16: "\n"; 64: iovec; 256..: WASI results; 1024: argv pointers;
  ;; 2048: argv strings; 4096: a preopen's name; 8192: file buffer; 16384: environ pointers;
  ;; 20480: environ strings; below 65536: the shadow stack
  (data (i32.const 16) "\n")
  (global $sp (mut i32) (i32.const 65536))
  (table 1 funcref)
  (elem (i32.const 0) $write)
  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))
  ;; fd_write of one buffer, its iovec on the shadow stack as a compiler would put it
  (func $write (param $fd i32) (param $p i32) (param $len i32) (result i32)
    (local $iov i32) (local $r i32)
    (local.set $iov (i32.sub (global.get $sp) (i32.const 16)))
    (global.set $sp (local.get $iov))
    (i32.store (local.get $iov) (local.get $p))
    (i32.store offset=4 (local.get $iov) (local.get $len))
    (local.set $r (call $fd_write (local.get $fd) (local.get $iov) (i32.const 1) (i32.add (local.get $iov) (i32.const 8))))
    (global.set $sp (i32.add (local.get $iov) (i32.const 16)))
    (local.get $r))
  (func $print (param $fd i32) (param $p i32) (param $len i32) (result i32)
    (call_indirect (type $write_t) (local.get $fd) (local.get $p) (local.get $len) (i32.const 0)))
  ;; wasi-libc's start-up: every preopen from fd 3 on, then stdout, the environment, clock and random
  (func $startup
    (local $fd i32)
    (local.set $fd (i32.const 3))
    (block $last
      (loop $next
        (br_if $last (call $fd_prestat_get (local.get $fd) (i32.const 256)))
        (if (i32.le_u (i32.load (i32.const 260)) (i32.const 4096))
          (then (drop (call $fd_prestat_dir_name (local.get $fd) (i32.const 4096) (i32.load (i32.const 260))))))
        (local.set $fd (i32.add (local.get $fd) (i32.const 1)))
        (br $next)))
    (drop (call $fd_fdstat_get (i32.const 1) (i32.const 264)))
    (if (i32.eqz (call $environ_sizes_get (i32.const 288) (i32.const 292)))
      (then
        (if (i32.and (i32.le_u (i32.load (i32.const 288)) (i32.const 1024))
                     (i32.le_u (i32.load (i32.const 292)) (i32.const 32768)))
          (then (drop (call $environ_get (i32.const 16384) (i32.const 20480)))))))
    (drop (call $clock_time_get (i32.const 1) (i64.const 1000) (i32.const 296)))
    (drop (call $random_get (i32.const 304) (i32.const 16))))
  (func (export "_start")
    (local $arg i32) (local $fd i32) (local $total i32) (local $n i32)
    (call $startup)
    (if (call $args_sizes_get (i32.const 0) (i32.const 4)) (then (unreachable)))
    (if (i32.lt_u (i32.load (i32.const 0)) (i32.const 3)) (then (call $proc_exit (i32.const 100))))
    (if (call $args_get (i32.const 1024) (i32.const 2048)) (then (unreachable)))
    ;; argv[1] and a newline
    (local.set $arg (i32.load (i32.const 1028)))
    (drop (call $print (i32.const 1) (local.get $arg) (call $strlen (local.get $arg))))
    (drop (call $print (i32.const 1) (i32.const 16) (i32.const 1)))
    ;; open argv[2] under fd 3 with fd_read | fd_seek | fd_filestat_get rights
    (local.set $arg (i32.load (i32.const 1032)))
    (if (call $path_open (i32.const 3) (i32.const 1) (local.get $arg) (call $strlen (local.get $arg))
          (i32.const 0) (i64.const 0x200006) (i64.const 0) (i32.const 0) (i32.const 8))
      (then (call $proc_exit (i32.const 101))))
    (local.set $fd (i32.load (i32.const 8)))
    (drop (call $fd_filestat_get (local.get $fd) (i32.const 320)))
    (drop (call $fd_seek (local.get $fd) (i64.const 0) (i32.const 0) (i32.const 384)))
    (block $eof
      (loop $more
        (i32.store (i32.const 64) (i32.const 8192))
        (i32.store (i32.const 68) (i32.const 4096))
        (if (call $fd_read (local.get $fd) (i32.const 64) (i32.const 1) (i32.const 12))
          (then (call $proc_exit (i32.const 102))))
        (local.set $n (i32.load (i32.const 12)))
        (br_if $eof (i32.eqz (local.get $n)))
        (local.set $total (i32.add (local.get $total) (local.get $n)))
        (drop (call $print (i32.const 1) (i32.const 8192) (local.get $n)))
        (br $more)))
    (drop (call $fd_close (local.get $fd)))
    (call $proc_exit (i32.and (local.get $total) (i32.const 255)))))
