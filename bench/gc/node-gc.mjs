// One GC benchmark program on Node's V8: usage node node-gc.mjs FILE.wasm REPEAT ARG...
// Compiles FILE.wasm once, then REPEAT times instantiates it and times run(ARG...) alone; prints one
// line per run: ms=MILLISECONDS result=VALUE (an i64 result arrives as a BigInt), then node=VERSION.
import { readFileSync } from 'node:fs';
const [path, repeatText, ...argTexts] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(path));
for (let i = 0; i < Number(repeatText); i++) {
  const run = new WebAssembly.Instance(module, {}).exports.run;
  const t0 = process.hrtime.bigint();
  const result = run(...argTexts.map(Number));
  const t1 = process.hrtime.bigint();
  console.log(`ms=${(Number(t1 - t0) / 1e6).toFixed(3)} result=${result}`);
}
console.log(`node=${process.version}`);
