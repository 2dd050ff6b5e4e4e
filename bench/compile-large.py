"""Whole-process compile of a large module on Kiln and on Wasmtime 49, alternated in one run.

Issue 40's yardstick: `./kiln compile` (launcher, JVM, every thread) against wasmtime-py's
`Module(engine, bytes).serialize()` (Cranelift on all cores), each as a child process measured by
wait4(2): wall time, CPU (user + system, the child and all it waited for) and peak resident set
(ru_maxrss, the largest process's), and the artifact's size. The engines alternate which runs first
in each round, and the best of the rounds is compared, since this machine's runs spread 10-20%.

--copies K measures how the cost grows with the module: it compiles a module whose every defined
function is present K times (each extra copy exported, so no compiler may drop it as unreachable),
built in a scratch folder from FILE (bench/module_copies.py). The copies are real code of real shape, so the per-function
work scales while the rest of the module (imports, data, tables) stays as it is.

--real adds the real programs of bench/real-programs.sh (Go, Rust and C from npm, pinned by digest)
after the FILEs, and a table of every module's ratios comes last.

Usage (bench/run compile-large runs it with wasmtime-py's Python):
  compile-large.py KILN [--rounds N] [--copies K[,K...]] [--heap SIZE] [--real] [FILE.wasm...]
KILN: the kiln launcher; FILE: default yosys.wasm of $KILN_CORPORA (../shared/corpora), none with
--real; --heap: Kiln's JVM maximum heap (-Xmx, e.g. 2g: the issue's held-out program must compile
within it).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measured_run import run_measured  # noqa: E402  (beside this script)
from module_copies import with_copies  # noqa: E402

WASMTIME_COMPILE = (
    "import sys, wasmtime\n"
    "module = wasmtime.Module(wasmtime.Engine(), open(sys.argv[1], 'rb').read())\n"
    "open(sys.argv[2], 'wb').write(module.serialize())\n"
)


def main():
    parser = argparse.ArgumentParser(prog="bench/run compile-large")
    parser.add_argument("kiln")
    parser.add_argument("modules", nargs="*")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--copies", default="1", help="K[,K...]: every function K times")
    parser.add_argument("--heap", default=None, help="Kiln's -Xmx, e.g. 2g")
    parser.add_argument("--real", action="store_true", help="also the real programs of bench/real-programs.sh")
    args = parser.parse_intermixed_args()  # FILE may come after the options
    corpora = os.environ.get("KILN_CORPORA") or os.path.join(os.path.dirname(args.kiln), "..", "shared", "corpora")
    modules = list(args.modules)
    if args.real:
        fetched = subprocess.run([os.path.join(os.path.dirname(os.path.abspath(__file__)), "real-programs.sh"),
                                  os.path.join(os.path.dirname(args.kiln), "target", "real-programs")],
                                 stdout=subprocess.PIPE, text=True)
        if fetched.returncode != 0:
            sys.exit(fetched.returncode)
        modules += fetched.stdout.split()
    if not modules:
        modules = [os.path.join(corpora, "yosys", "yosys.wasm")]
    for module in modules:
        if not os.path.isfile(module):
            sys.exit(f"bench/run compile-large: {module}: no such file")
    copies = [int(k) for k in args.copies.split(",")]
    if any(k < 1 for k in copies) or args.rounds < 1:
        sys.exit("bench/run compile-large: --copies and --rounds take positive numbers")
    ratios = []
    with tempfile.TemporaryDirectory(prefix="kiln-compile-large-") as scratch:
        print(f"# {time.strftime('%Y-%m-%d %H:%M:%S')}, load {os.getloadavg()[0]:.2f}, "
              f"{args.rounds} rounds, Kiln heap {args.heap or 'the launcher default'}")
        for module in modules:
            for k in copies:
                wasm = module if k == 1 else os.path.join(scratch, f"copies{k}.wasm")
                if k > 1:
                    with open(module, "rb") as source, open(wasm, "wb") as out:
                        out.write(with_copies(source.read(), k))
                ratios.append((f"{os.path.basename(module)} {k}x", measure(args, wasm, k, scratch)))
    if len(ratios) > 1:
        print(f"\n{'module':<24} {'wall':>7} {'CPU':>7} {'memory':>7} {'artifact':>8}  (Kiln / Wasmtime, best of each)")
        for name, r in ratios:
            print(f"{name:<24} {r[0]:7.3f} {r[1]:7.3f} {r[2]:7.3f} {r[3]:8.3f}")


def measure(args, wasm, copies, scratch):
    kiln_out = os.path.join(scratch, "kiln.cwasm")
    wasmtime_out = os.path.join(scratch, "wasmtime.cwasmtime")
    env = dict(os.environ)
    if args.heap:
        env["JAVA_TOOL_OPTIONS"] = f"-Xmx{args.heap}"
    commands = {
        "kiln": ([args.kiln, "compile", wasm, "-o", kiln_out], env, kiln_out),
        "wasmtime": ([sys.executable, "-c", WASMTIME_COMPILE, wasm, wasmtime_out], os.environ, wasmtime_out),
    }
    size_mb = os.path.getsize(wasm) / 1e6
    print(f"\n{os.path.basename(wasm)}: {size_mb:.1f} MB of wasm, every function {copies}x")
    print(f"{'round':>5} {'engine':<9} {'wall s':>7} {'CPU s':>7} {'peak RSS MB':>12} {'artifact bytes':>15}")
    best = {}
    for round_number in range(1, args.rounds + 1):
        order = ["kiln", "wasmtime"] if round_number % 2 else ["wasmtime", "kiln"]
        for engine in order:
            command, engine_env, out = commands[engine]
            run = run_measured(command, engine_env)
            if run.exit_code != 0:
                last = run.stderr.strip().splitlines()[-1:] or ["no message"]
                sys.exit(f"bench/run compile-large: {engine} failed: {last[0]}")
            wall, cpu, rss = run.wall, run.cpu, run.rss_kib
            size = os.path.getsize(out)
            print(f"{round_number:>5} {engine:<9} {wall:7.2f} {cpu:7.2f} {rss / 1024:12.0f} {size:15,}")
            previous = best.get(engine)
            best[engine] = (min(wall, previous[0]) if previous else wall,
                            min(cpu, previous[1]) if previous else cpu,
                            min(rss, previous[2]) if previous else rss, size)
    kiln, wasmtime = best["kiln"], best["wasmtime"]
    print(f"best: Kiln {kiln[0]:.2f} s wall, {kiln[1]:.2f} s CPU, {kiln[2] / 1024:.0f} MB; "
          f"Wasmtime {wasmtime[0]:.2f} s, {wasmtime[1]:.2f} s, {wasmtime[2] / 1024:.0f} MB")
    ratios = tuple(k / w for k, w in zip(kiln, wasmtime))
    print(f"Kiln / Wasmtime: wall {ratios[0]:.3f}x, CPU {ratios[1]:.3f}x, "
          f"memory {ratios[2]:.3f}x, artifact {ratios[3]:.3f}x")
    return ratios


if __name__ == "__main__":
    main()
