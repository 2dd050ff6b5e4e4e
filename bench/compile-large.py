"""Whole-process compile of a large module on Kiln and on Wasmtime 49, alternated in one run.

Issue 40's yardstick: `./kiln compile` (launcher, JVM, every thread) against wasmtime-py's
`Module(engine, bytes).serialize()` (Cranelift on all cores), each as a child process measured by
wait4(2): wall time, CPU (user + system, the child and all it waited for) and peak resident set
(ru_maxrss, the largest process's), and the artifact's size. The engines alternate which runs first
in each round, and the best of the rounds is compared, since this machine's runs spread 10-20%.

--copies K measures how the cost grows with the module: it compiles a module whose every defined
function is present K times (each extra copy exported, so no compiler may drop it as unreachable),
built in a scratch folder from FILE. The copies are real code of real shape, so the per-function
work scales while the rest of the module (imports, data, tables) stays as it is.

Usage (bench/run compile-large runs it with wasmtime-py's Python):
  compile-large.py KILN [--rounds N] [--copies K[,K...]] [--heap SIZE] [FILE.wasm]
KILN: the kiln launcher; FILE: default yosys.wasm of $KILN_CORPORA (../shared/corpora); --heap: Kiln's JVM
maximum heap (-Xmx, e.g. 2g: the issue's held-out program must compile within it).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

WASMTIME_COMPILE = (
    "import sys, wasmtime\n"
    "module = wasmtime.Module(wasmtime.Engine(), open(sys.argv[1], 'rb').read())\n"
    "open(sys.argv[2], 'wb').write(module.serialize())\n"
)


def main():
    parser = argparse.ArgumentParser(prog="bench/run compile-large")
    parser.add_argument("kiln")
    parser.add_argument("module", nargs="?", default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--copies", default="1", help="K[,K...]: every function K times")
    parser.add_argument("--heap", default=None, help="Kiln's -Xmx, e.g. 2g")
    args = parser.parse_args()
    corpora = os.environ.get("KILN_CORPORA") or os.path.join(os.path.dirname(args.kiln), "..", "shared", "corpora")
    module = args.module or os.path.join(corpora, "yosys", "yosys.wasm")
    if not os.path.isfile(module):
        sys.exit(f"bench/run compile-large: {module}: no such file")
    copies = [int(k) for k in args.copies.split(",")]
    if any(k < 1 for k in copies) or args.rounds < 1:
        sys.exit("bench/run compile-large: --copies and --rounds take positive numbers")
    with tempfile.TemporaryDirectory(prefix="kiln-compile-large-") as scratch:
        print(f"# {time.strftime('%Y-%m-%d %H:%M:%S')}, load {os.getloadavg()[0]:.2f}, "
              f"{args.rounds} rounds, Kiln heap {args.heap or 'the launcher default'}")
        for k in copies:
            wasm = module if k == 1 else os.path.join(scratch, f"copies{k}.wasm")
            if k > 1:
                with open(module, "rb") as source, open(wasm, "wb") as out:
                    out.write(with_copies(source.read(), k))
            measure(args, wasm, k, scratch)


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
            wall, cpu, rss = run_measured(command, engine_env, engine)
            size = os.path.getsize(out)
            print(f"{round_number:>5} {engine:<9} {wall:7.2f} {cpu:7.2f} {rss / 1024:12.0f} {size:15,}")
            previous = best.get(engine)
            best[engine] = (min(wall, previous[0]) if previous else wall,
                            min(cpu, previous[1]) if previous else cpu,
                            min(rss, previous[2]) if previous else rss, size)
    kiln, wasmtime = best["kiln"], best["wasmtime"]
    print(f"best: Kiln {kiln[0]:.2f} s wall, {kiln[1]:.2f} s CPU, {kiln[2] / 1024:.0f} MB; "
          f"Wasmtime {wasmtime[0]:.2f} s, {wasmtime[1]:.2f} s, {wasmtime[2] / 1024:.0f} MB")
    print(f"Kiln / Wasmtime: wall {kiln[0] / wasmtime[0]:.3f}x, CPU {kiln[1] / wasmtime[1]:.3f}x, "
          f"memory {kiln[2] / wasmtime[2]:.3f}x, artifact {kiln[3] / wasmtime[3]:.3f}x")


def run_measured(command, env, engine):
    """Runs one compile; returns wall seconds, CPU seconds and peak RSS in KiB (wait4's rusage)."""
    start = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        last = errors.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
        sys.exit(f"bench/run compile-large: {engine} failed: {last[0]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


# The binary format (spec 5.5): a module is sections of id, size and contents; the function section
# (3) lists each defined function's type index and the code section (10) its body, in the same order.
def with_copies(wasm, copies):
    """The module with every defined function `copies` times, each extra copy exported."""
    sections = []
    position = 8
    while position < len(wasm):
        section_id = wasm[position]
        size, position = read_u32(wasm, position + 1)
        sections.append((section_id, wasm[position:position + size]))
        position += size
    imported_functions = count_imported_functions(sections)
    defined = next((read_u32(body, 0)[0] for section_id, body in sections if section_id == 3), 0)
    if not any(section_id == 7 for section_id, _ in sections):
        sections.insert(next(i for i, (s, _) in enumerate(sections) if s in (8, 9, 12, 10)), (7, b"\x00"))
    out = bytearray(wasm[:8])
    for section_id, body in sections:
        if section_id in (3, 10):
            count, start = read_u32(body, 0)
            body = u32(count * copies) + body[start:] * copies
        elif section_id == 7:
            count, start = read_u32(body, 0)
            extra = bytearray()
            for copy in range(1, copies):
                for function in range(defined):
                    name = f"copy{copy}.function{function}".encode()
                    extra += u32(len(name)) + name + b"\x00" + u32(imported_functions + copy * defined + function)
            body = u32(count + (copies - 1) * defined) + body[start:] + extra
        elif section_id == 0 and custom_name(body) == b"name":
            continue  # its function indices would name only the first copy
        out.append(section_id)
        out += u32(len(body))
        out += body
    return bytes(out)


def count_imported_functions(sections):
    body = next((body for section_id, body in sections if section_id == 2), None)
    if body is None:
        return 0
    count, position = read_u32(body, 0)
    functions = 0
    for _ in range(count):
        for _ in range(2):  # module and field names
            length, position = read_u32(body, position)
            position += length
        kind = body[position]
        position += 1
        if kind == 0:  # function: a type index
            functions += 1
            _, position = read_u32(body, position)
        elif kind == 1:  # table: a reference type, then limits
            position = skip_limits(body, skip_reftype(body, position))
        elif kind == 2:  # memory: limits
            position = skip_limits(body, position)
        elif kind == 3:  # global: a value type and mutability
            position = skip_valtype(body, position) + 1
        elif kind == 4:  # tag: an attribute byte and a type index
            _, position = read_u32(body, position + 1)
        else:
            sys.exit(f"bench/run compile-large: import kind {kind} at section offset {position - 1} is not known here")
    return functions


def skip_valtype(body, position):
    if body[position] in (0x63, 0x64):  # (ref null? heaptype): a signed type index or a short form
        return skip_s33(body, position + 1)
    return position + 1


def skip_reftype(body, position):
    return skip_valtype(body, position)


def skip_limits(body, position):
    flags = body[position]
    _, position = read_u32(body, position + 1)
    if flags & 1:
        _, position = read_u32(body, position)
    return position


def skip_s33(body, position):
    while body[position] & 0x80:
        position += 1
    return position + 1


def custom_name(body):
    length, position = read_u32(body, 0)
    return body[position:position + length]


def read_u32(data, position):
    result = shift = 0
    while True:
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, position


def u32(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


if __name__ == "__main__":
    main()
