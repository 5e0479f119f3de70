// Runs a WASI preview1 command under Node's V8 (node:wasi), with kiln run's
// options, to record the expected results of a corpus case:
//   node node_wasi.mjs [--dir HOST::GUEST]... [--env K=V]... PROGRAM.wasm [ARGS...]
// argv[0] is "PROGRAM" (the file's stem), as run_corpus.py passes to kiln.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { argv, exit } from 'node:process';
import { WASI } from 'node:wasi';

const preopens = {};
const env = {};
let rest = argv.slice(2);
while (rest.length && rest[0].startsWith('--')) {
  const [option, value] = [rest[0], rest[1]];
  rest = rest.slice(2);
  if (option === '--dir') {
    const [host, guest] = value.split('::');
    preopens[guest] = host;
  } else if (option === '--env') {
    const i = value.indexOf('=');
    env[value.slice(0, i)] = value.slice(i + 1);
  } else {
    console.error(`node_wasi.mjs: unknown option ${option}`);
    exit(2);
  }
}
const [path, ...args] = rest;
const stem = basename(path).replace(/\..*$/, '');
const wasi = new WASI({ version: 'preview1', args: [stem, ...args], env, preopens, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(path));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
exit(wasi.start(instance));
