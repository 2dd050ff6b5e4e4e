#!/usr/bin/env python3
"""The cycle of `bench/run instantiate` on Wasmtime through its Python bindings, for same-run ratios:
a new Store, instantiate, look up export `fac`, call fac(20), drop the store; three rounds, each
printing microseconds per cycle (the best is the figure). The bindings' own interpreter overhead is
in every step, as it is in every wasmtime-py figure of docs/PERFORMANCE.md.

usage: "$(bash ../shared/peers/wasmtime-py/setup.sh)/bin/python" bench/instantiate-wasmtime.py [CYCLES] [MODULE]
"""
import sys
import time

import wasmtime

cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
path = sys.argv[2] if len(sys.argv) > 2 else "examples/hello.wasm"
engine = wasmtime.Engine()
module = wasmtime.Module.from_file(engine, path)
for _ in range(3):
    started = time.perf_counter()
    for _ in range(cycles):
        store = wasmtime.Store(engine)
        instance = wasmtime.Instance(store, module, [])
        if instance.exports(store)["fac"](store, 20) != 2432902008176640000:
            raise SystemExit("fac(20) gave a wrong result")
        del instance, store
    elapsed = time.perf_counter() - started
    print(f"wasmtime-py instantiate/hello {elapsed / cycles * 1e6:.1f} us/cycle ({cycles / elapsed:.0f} cycles/s)")
