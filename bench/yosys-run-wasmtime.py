# yosys's alu16 synthesis on Wasmtime 49 (wasmtime-py), whole process from its serialized module: the
# peer of `kiln run yosys.cwasm` in docs/PERFORMANCE.md ("yosys's code, a real run").
# Usage: python yosys-run-wasmtime.py yosys.cwasmtime ROOT   (ROOT: a scratch copy of the corpus's root/)
import sys
import wasmtime

serialized, root = sys.argv[1], sys.argv[2]
engine = wasmtime.Engine()
module = wasmtime.Module.deserialize_file(engine, serialized)
linker = wasmtime.Linker(engine)
linker.define_wasi()
store = wasmtime.Store(engine)
wasi = wasmtime.WasiConfig()
wasi.argv = ["yosys", "-q", "-p", "read_verilog /alu16.v; synth -noabc -flatten -top big; tee -o /stat.txt stat"]
wasi.preopen_dir(root, "/")
wasi.inherit_stdout()
wasi.inherit_stderr()
store.set_wasi(wasi)
instance = linker.instantiate(store, module)
try:
    instance.exports(store)["_start"](store)
except wasmtime.ExitTrap as e:
    sys.exit(e.code)
