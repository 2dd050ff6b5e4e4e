;; A small WASI command (used by kiln run's tests and the JVM AOT training run): prints its first argument and a line, then copies the file
;; named by its second argument (opened under the first preopen, fd 3) to stdout, and exits with
;; proc_exit(the file's length mod 256) so the exit status is checked too.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  ;; 0..: scratch words; 64: iovec; 1024: argv pointers; 2048: argv strings; 8192: file buffer
  (func $strlen (param $p i32) (result i32)
    (local $n i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (i32.load8_u (i32.add (local.get $p) (local.get $n)))))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $next)))
    (local.get $n))
  (func $write (param $fd i32) (param $p i32) (param $len i32) (result i32)
    (i32.store (i32.const 64) (local.get $p))
    (i32.store (i32.const 68) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 64) (i32.const 1) (i32.const 0)))
  (func (export "_start")
    (local $arg i32) (local $fd i32) (local $total i32) (local $n i32)
    (if (call $args_sizes_get (i32.const 0) (i32.const 4)) (then (unreachable)))
    (if (i32.lt_u (i32.load (i32.const 0)) (i32.const 3)) (then (call $proc_exit (i32.const 100))))
    (if (call $args_get (i32.const 1024) (i32.const 2048)) (then (unreachable)))
    ;; argv[1] and a newline
    (local.set $arg (i32.load (i32.const 1028)))
    (drop (call $write (i32.const 1) (local.get $arg) (call $strlen (local.get $arg))))
    (i32.store8 (i32.const 16) (i32.const 10))
    (drop (call $write (i32.const 1) (i32.const 16) (i32.const 1)))
    ;; open argv[2] under fd 3 with fd_read | fd_seek rights
    (local.set $arg (i32.load (i32.const 1032)))
    (if (call $path_open (i32.const 3) (i32.const 1) (local.get $arg) (call $strlen (local.get $arg))
          (i32.const 0) (i64.const 6) (i64.const 0) (i32.const 0) (i32.const 8))
      (then (call $proc_exit (i32.const 101))))
    (local.set $fd (i32.load (i32.const 8)))
    (block $eof
      (loop $more
        (i32.store (i32.const 64) (i32.const 8192))
        (i32.store (i32.const 68) (i32.const 4096))
        (if (call $fd_read (local.get $fd) (i32.const 64) (i32.const 1) (i32.const 12))
          (then (call $proc_exit (i32.const 102))))
        (local.set $n (i32.load (i32.const 12)))
        (br_if $eof (i32.eqz (local.get $n)))
        (local.set $total (i32.add (local.get $total) (local.get $n)))
        (drop (call $write (i32.const 1) (i32.const 8192) (local.get $n)))
        (br $more)))
    (call $proc_exit (i32.and (local.get $total) (i32.const 255)))))
