"""One benchmark program's export on Wasmtime (Python bindings): usage python wasmtime-export.py FILE.wasm EXPORT REPEAT ARG...
Compiles FILE.wasm once, then REPEAT times instantiates it in a new Store and times EXPORT(ARG...) alone;
prints one line per call: ms=MILLISECONDS result=VALUE, then one line wasmtime-py=VERSION."""
import importlib.metadata, sys, time, wasmtime
path, export, repeat, args = sys.argv[1], sys.argv[2], int(sys.argv[3]), [int(a) for a in sys.argv[4:]]
config = wasmtime.Config()
# Wasmtime 49's default Config already runs these programs (GC and exception handling are on by default since
# 47); set explicitly so the run does not rest on a release's defaults. The GC programs use GC types and typed
# references (ref $t locals and results), the exception programs tags, throw and try_table.
config.wasm_reference_types = True
config.wasm_function_references = True
config.wasm_gc = True
config.wasm_exceptions = True
config.wasm_tail_call = True
engine = wasmtime.Engine(config)
module = wasmtime.Module.from_file(engine, path)
for _ in range(repeat):
    store = wasmtime.Store(engine)
    function = wasmtime.Instance(store, module, []).exports(store)[export]
    t0 = time.perf_counter()
    result = function(store, *args)
    t1 = time.perf_counter()
    print(f'ms={(t1 - t0) * 1000:.3f} result={result}', flush=True)
    del function, store
print(f"wasmtime-py={importlib.metadata.version('wasmtime')}")
