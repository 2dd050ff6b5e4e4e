"""One GC benchmark program on Wasmtime (Python bindings): usage python wasmtime-gc.py FILE.wasm REPEAT ARG...
Compiles FILE.wasm once, then REPEAT times instantiates it in a new Store and times run(ARG...) alone;
prints one line per run: ms=MILLISECONDS result=VALUE, then one line wasmtime-py=VERSION."""
import importlib.metadata, sys, time, wasmtime
path, repeat, args = sys.argv[1], int(sys.argv[2]), [int(a) for a in sys.argv[3:]]
config = wasmtime.Config()
# Wasmtime 49's default Config already runs these programs (GC is on by default since 47); set explicitly so
# the run does not rest on a release's defaults. They use GC types and typed references (ref $t locals and
# results), nothing from exception handling.
config.wasm_reference_types = True
config.wasm_function_references = True
config.wasm_gc = True
engine = wasmtime.Engine(config)
module = wasmtime.Module.from_file(engine, path)
for _ in range(repeat):
    store = wasmtime.Store(engine)
    run = wasmtime.Instance(store, module, []).exports(store)['run']
    t0 = time.perf_counter()
    result = run(store, *args)
    t1 = time.perf_counter()
    print(f'ms={(t1 - t0) * 1000:.3f} result={result}', flush=True)
    del run, store
print(f"wasmtime-py={importlib.metadata.version('wasmtime')}")
