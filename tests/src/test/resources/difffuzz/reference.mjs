// The reference side of Kiln's differential fuzzing: Node's V8 runs each module the Java side names
// and prints the same normalised trace Kiln's harness prints (dev.kiln.tests.fuzz.DiffTrace).
// Protocol, one request per stdin line: PATH \t EXPORT=PARAMS>RESULTS \t ... where the types are
// letters i (i32), I (i64), f (f32), F (f64); the reply is the trace, then a line "end".
// Before each export, an exported hangLimitInitializer is called (binaryen -ttf's hang limit), as
// binaryen's own --fuzz-exec does.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
function bits(x) {
  if (Number.isNaN(x)) return 'nan';
  f64[0] = x;
  return u64[0].toString(16);
}
function show(type, v) {
  switch (type) {
    case 'i': return 'i32 ' + (v | 0);
    case 'I': return 'i64 ' + BigInt.asIntN(64, v);
    case 'f': return 'f32 ' + bits(v);
    case 'F': return 'f64 ' + bits(v);
  }
  throw new Error('type ' + type);
}
function zero(type) {
  return type === 'I' ? 0n : 0;
}

const out = [];
const imports = {
  'fuzzing-support': {
    'log-i32': (x) => out.push('log ' + show('i', x)),
    'log-i64': (x) => out.push('log ' + show('I', x)),
    'log-f32': (x) => out.push('log ' + show('f', x)),
    'log-f64': (x) => out.push('log ' + show('F', x)),
  },
};

function run(line) {
  const [path, ...specs] = line.split('\t');
  let instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(path)), imports);
  } catch (e) {
    out.push('instantiate trap');
    return;
  }
  const reset = instance.exports.hangLimitInitializer;
  for (const spec of specs) {
    const [name, sig] = spec.split('=');
    const [params, results] = sig.split('>');
    out.push('call ' + name);
    try {
      if (reset) reset();
      let r = instance.exports[name](...[...params].map(zero));
      const values = results.length > 1 ? r : results.length === 1 ? [r] : [];
      out.push('result' + [...results].map((t, i) => ' ' + show(t, values[i])).join(''));
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError || e instanceof RangeError)) throw e;
      out.push('trap');
    }
  }
}

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
  out.length = 0;
  run(line);
  process.stdout.write(out.join('\n') + (out.length ? '\n' : '') + 'end\n');
}
