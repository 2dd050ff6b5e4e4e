#!/usr/bin/env python3
"""The cycle of `bench/run instantiate` on Wasmtime through its Python bindings, for same-run ratios:
a new Store, instantiate, look up export `fac`, call fac(20), drop the store; three rounds, each
printing microseconds per cycle (the best is the figure) and the process's CPU time per cycle (user
and system, which a loaded machine changes less than the elapsed time; `scripts/cycle-soak` prints
the same for Kiln). The bindings' own interpreter overhead is
in every step, as it is in every wasmtime-py figure of docs/PERFORMANCE.md.

MODULE is `hello` (examples/hello.wasm, the default) or `memory` (examples/memory-cycle.wat,
the module `scripts/cycle-soak ... memory` cycles: a memory with 8 KiB of data, a table, a global),
or the path of another module: that one is compiled once, then each cycle instantiates it with WASI
linked (a new Store with a default WasiConfig) and calls nothing, as `bench/run instantiate --yosys`
does on Kiln.
wasmtime-py has no setting for Wasmtime's pooling allocator: its engine allocates on demand, with
copy-on-write memory images (Wasmtime's default).

usage: "$(bash ../shared/peers/wasmtime-py/setup.sh)/bin/python" bench/instantiate-wasmtime.py [CYCLES] [MODULE]
"""
import sys
import time

import wasmtime

args = sys.argv[1:]
cycles = int(args[0]) if args else 20000
name = args[1] if len(args) > 1 else "hello"
cycle_modules = {"hello": "examples/hello.wasm", "memory": "examples/memory-cycle.wat"}
path = cycle_modules.get(name, name)
engine = wasmtime.Engine()
# Module.from_file takes the text format too (wasmtime-py turns .wat into a binary first).
module = wasmtime.Module.from_file(engine, path)
linker = wasmtime.Linker(engine)
linker.define_wasi()


def cycle():
    store = wasmtime.Store(engine)
    if name in cycle_modules:
        instance = wasmtime.Instance(store, module, [])
        if instance.exports(store)["fac"](store, 20) != 2432902008176640000:
            raise SystemExit("fac(20) gave a wrong result")
    else:
        store.set_wasi(wasmtime.WasiConfig())
        linker.instantiate(store, module)


for _ in range(3):
    started = time.perf_counter()
    cpu_started = time.process_time()
    for _ in range(cycles):
        cycle()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(f"wasmtime-py instantiate/{name} {elapsed / cycles * 1e6:.1f} us/cycle ({cycles / elapsed:.0f} cycles/s),"
          f" cpu {cpu / cycles * 1e6:.1f} us/cycle")
