// Runs a wasm32-wasi command under Node's V8 through node:wasi:
//   node node_wasi_run.mjs PROGRAM.wasm [ARGS...]
// The guest gets PROGRAM.wasm and ARGS as argv and this process's stdio.
import { readFile } from 'node:fs/promises';
import { argv, exit } from 'node:process';
import { WASI } from 'node:wasi';

const [path, ...args] = argv.slice(2);
if (!path) {
  console.error('usage: node node_wasi_run.mjs PROGRAM.wasm [ARGS...]');
  exit(1);
}
const wasi = new WASI({ version: 'preview1', args: [path, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
