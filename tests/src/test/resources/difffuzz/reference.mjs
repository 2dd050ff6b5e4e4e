// The reference side of Kiln's differential fuzzing: Node's V8 runs each module the Java side names
// and prints the same normalised trace Kiln's harness prints (dev.kiln.tests.fuzz.DiffTrace).
// Protocol, one request per stdin line: PATH \t EXPORT=PARAMS>RESULTS \t ... where the types are
// letters i (i32), I (i64), f (f32), F (f64), v (v128); the reply is the trace, then a line "end".
// Before each export, an exported hangLimitInitializer is called (binaryen -ttf's hang limit), as
// binaryen's own --fuzz-exec does.
// JS cannot hold a v128 (JS API, ToJSValue/ToWebAssemblyValue throw a TypeError for it), but one wasm
// function can call another with v128 values: so log-v128 is a small wasm function that passes the
// two i64 halves to JS, and an export with v128 in its type is called through a wrapper module that
// imports it, passes zero arguments and returns each v128 result as its two i64 halves.
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
function hex64(v) {
  return BigInt.asUintN(64, v).toString(16);
}

// A minimal wasm binary encoder (spec 5.5): one function type per entry of `types` (letters), the
// imported functions first, then the defined ones with their locals and bodies, and exports.
const VALTYPE = { i: 0x7f, I: 0x7e, f: 0x7d, F: 0x7c, v: 0x7b };
function uleb(n) {
  const bytes = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    bytes.push(n ? b | 0x80 : b);
  } while (n);
  return bytes;
}
function name(s) {
  return [...uleb(s.length), ...Buffer.from(s, 'latin1')];
}
function vector(items) {
  return [...uleb(items.length), ...items.flat()];
}
function section(id, items) {
  const body = vector(items);
  return [id, ...uleb(body.length), ...body];
}
function encode({ types, imports, funcs, exports }) {
  const type = ([params, results]) =>
    [0x60, ...vector([...params].map((t) => [VALTYPE[t]])), ...vector([...results].map((t) => [VALTYPE[t]]))];
  const code = ({ locals, body }) => {
    const f = [...vector([...locals].map((t) => [1, VALTYPE[t]])), ...body, 0x0b];
    return [...uleb(f.length), ...f];
  };
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types.map(type)),
    ...section(2, imports.map(([m, n, t]) => [...name(m), ...name(n), 0x00, ...uleb(t)])),
    ...section(3, funcs.map((f) => uleb(f.type))),
    ...section(7, exports.map(([n, f]) => [...name(n), 0x00, ...uleb(f)])),
    ...section(10, funcs.map(code))]);
}
function instantiate(spec, imports) {
  return new WebAssembly.Instance(new WebAssembly.Module(encode(spec)), imports).exports;
}
const V128_CONST_ZERO = [0xfd, 0x0c, ...new Array(16).fill(0)];
const ZERO = { i: [0x41, 0], I: [0x42, 0], f: [0x43, 0, 0, 0, 0], F: [0x44, 0, 0, 0, 0, 0, 0, 0, 0], v: V128_CONST_ZERO };
const LOCAL_GET = (i) => [0x20, ...uleb(i)];
const LOCAL_SET = (i) => [0x21, ...uleb(i)];
const I64X2_EXTRACT_LANE = (lane) => [0xfd, 0x1d, lane];

const out = [];
const logV128 = instantiate({
  types: [['II', ''], ['v', '']],
  imports: [['js', 'halves', 0]],
  funcs: [{ type: 1, locals: '', body: [...LOCAL_GET(0), ...I64X2_EXTRACT_LANE(0), ...LOCAL_GET(0),
    ...I64X2_EXTRACT_LANE(1), 0x10, 0] }],
  exports: [['log-v128', 1]],
}, { js: { halves: (low, high) => out.push('log v128 ' + hex64(low) + ' ' + hex64(high)) } })['log-v128'];
const imports = {
  'fuzzing-support': {
    'log-i32': (x) => out.push('log ' + show('i', x)),
    'log-i64': (x) => out.push('log ' + show('I', x)),
    'log-f32': (x) => out.push('log ' + show('f', x)),
    'log-f64': (x) => out.push('log ' + show('F', x)),
    'log-v128': logV128,
  },
};

/**
 * A JS-callable stand-in for an export whose type has v128: it calls the export with zeros and
 * returns every v128 result as two i64 (low, high), the other results as they are.
 */
function withoutV128(f, params, results) {
  const body = [...[...params].flatMap((t) => ZERO[t]), 0x10, 0];
  for (let i = results.length - 1; i >= 0; i--) body.push(...LOCAL_SET(i));
  [...results].forEach((t, i) => body.push(...(t === 'v'
    ? [...LOCAL_GET(i), ...I64X2_EXTRACT_LANE(0), ...LOCAL_GET(i), ...I64X2_EXTRACT_LANE(1)]
    : LOCAL_GET(i))));
  const wrapper = instantiate({
    types: [[params, results], ['', results.replaceAll('v', 'II')]],
    imports: [['m', 'f', 0]],
    funcs: [{ type: 1, locals: results, body }],
    exports: [['w', 1]],
  }, { m: { f } });
  return () => wrapper.w();
}

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
      const v128 = (params + results).includes('v');
      const f = instance.exports[name];
      const r = v128 ? withoutV128(f, params, results)() : f(...[...params].map(zero));
      const width = v128 ? results.replaceAll('v', 'II').length : results.length;
      const values = width > 1 ? r : width === 1 ? [r] : [];
      let next = 0;
      out.push('result' + [...results].map((t) => t === 'v'
        ? ' v128 ' + hex64(values[next++]) + ' ' + hex64(values[next++])
        : ' ' + show(t, values[next++])).join(''));
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
