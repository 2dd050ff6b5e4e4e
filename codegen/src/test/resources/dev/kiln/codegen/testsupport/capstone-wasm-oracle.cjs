// The x86-64 Capstone oracle of the encoder tests: capstone-wasm's own API (Capstone 5.0 compiled to
// WebAssembly) on Node, one process per test class. Run as `node -e <this file> PACKAGE_DIR`.
// Protocol, one request per line on stdin: "ADDRESS_HEX CODE_HEX"; the answer on stdout is a line with
// the instruction count N, then N lines "SIZE<TAB>MNEMONIC<TAB>OPERANDS". Capstone's text never holds a
// tab or a newline. Bytes that do not decode end the list, as in cs_disasm.
const { Capstone, Const, loadCapstone } = require(process.argv[1]);
const readline = require('node:readline');

(async () => {
  await loadCapstone();
  const capstone = new Capstone(Const.CS_ARCH_X86, Const.CS_MODE_64);
  capstone.setOption(Const.CS_OPT_SYNTAX, Const.CS_OPT_SYNTAX_ATT);
  for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const [address, hex] = line.split(' ');
    let insns;
    try {
      insns = capstone.disasm(Buffer.from(hex, 'hex'), { address: BigInt('0x' + address) });
    } catch (e) {
      // The package throws when cs_disasm decodes nothing (count 0); that answer is an empty list.
      insns = [];
    }
    const out = [String(insns.length)];
    for (const insn of insns) {
      out.push(`${insn.size}\t${insn.mnemonic}\t${insn.opStr}`);
    }
    process.stdout.write(out.join('\n') + '\n');
  }
  capstone.close();
})().catch((e) => {
  process.stderr.write(`capstone-wasm oracle: ${e.stack || e}\n`);
  process.exit(1);
});
