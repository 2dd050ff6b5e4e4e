// One benchmark program's export on Node's V8: usage node node-export.mjs FILE.wasm EXPORT REPEAT ARG...
// Compiles FILE.wasm once, then REPEAT times instantiates it and times EXPORT(ARG...) alone; prints one
// line per call: ms=MILLISECONDS result=VALUE (an i64 result arrives as a BigInt), then node=VERSION.
// The programs' parameters are i32.
import { readFileSync } from 'node:fs';
const [path, exportName, repeatText, ...argTexts] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(path));
const args = argTexts.map(Number);
for (let i = 0; i < Number(repeatText); i++) {
  const run = new WebAssembly.Instance(module, {}).exports[exportName];
  const t0 = process.hrtime.bigint();
  const result = run(...args);
  const t1 = process.hrtime.bigint();
  console.log(`ms=${(Number(t1 - t0) / 1e6).toFixed(3)} result=${result}`);
}
console.log(`node=${process.version}`);
