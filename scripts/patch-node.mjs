// Patches the copy of Node.js that becomes dist/secrets-exec, so that the runtime does not act at
// the process boundary where a wrapper must be invisible. Each patch turns one exported C++ function
// into an immediate return; the address comes from the dynamic symbol table (`nm -D`, kept by strip)
// and is mapped to a file offset through the ELF program headers (`readelf -lW`). The build fails if a
// symbol is missing, so a new Node.js is looked at again instead of silently shipping unpatched.
//
// - uv_disable_stdio_inheritance(): Node calls it at start-up; it marks fds 0..N close-on-exec until
//   it meets an unused fd past 15, so descriptors a parent passed (socket activation, LISTEN_FDS)
//   would be closed by execve. Made a no-op: every inherited fd reaches the program. Node's own
//   descriptors are opened with O_CLOEXEC and still do not leak.
// - node::inspector::Agent::StartIoThread(): SIGUSR1 (or `kill -USR1` by any user who may signal
//   us) would start the inspector on 127.0.0.1:9229, where anyone on the host can attach and read the
//   environment. It now returns false, so no inspector socket is ever opened. Node's `--disable-sigusr1`
//   is not used instead: it leaves SIGUSR1 blocked on the main thread, and a blocked mask survives
//   execve, so the program would never receive SIGUSR1.
// - node::Environment::InitializeCompileCache(): reads NODE_COMPILE_CACHE at start-up and creates
//   that directory before any JavaScript runs (the program's variable, not ours: secrets-exec writes
//   nothing to disk). Made a no-op; the variable still reaches the program.
// - node::Dotenv::GetDataFromArgs(args): scans the whole argv (up to `--`) for --env-file and
//   --env-file-if-exists and loads those files into the environment before any JavaScript runs (or
//   exits 9). `--env-file` is secrets-exec's own option, whose files hold references to check, never
//   values to load. It now returns an empty std::vector (the result is returned through the hidden
//   pointer in rdi on x86-64, x8 on arm64).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const PATCHES = {
  x64: [
    { symbol: 'uv_disable_stdio_inheritance', code: 'c3' }, // ret
    { symbol: '_ZN4node9inspector5Agent13StartIoThreadEv', code: '31c0c3' }, // xor eax,eax; ret
    { symbol: '_ZN4node11Environment22InitializeCompileCacheEv', code: 'c3' }, // ret
    {
      symbol:
        '_ZN4node6Dotenv15GetDataFromArgsERKSt6vectorINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEESaIS7_EE',
      // xor eax,eax; mov [rdi],rax; mov [rdi+8],rax; mov [rdi+16],rax; mov rax,rdi; ret
      code: '31c04889074889470848894710' + '4889f8c3',
    },
  ],
  arm64: [
    { symbol: 'uv_disable_stdio_inheritance', code: 'c0035fd6' }, // ret
    { symbol: '_ZN4node9inspector5Agent13StartIoThreadEv', code: '00008052c0035fd6' }, // mov w0,#0; ret
    { symbol: '_ZN4node11Environment22InitializeCompileCacheEv', code: 'c0035fd6' }, // ret
    {
      symbol:
        '_ZN4node6Dotenv15GetDataFromArgsERKSt6vectorINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEESaIS7_EE',
      // stp xzr, xzr, [x8]; str xzr, [x8, #16]; ret
      code: '1f7d00a91f0b00f9c0035fd6',
    },
  ],
};

function symbolAddress(file, symbol, nm) {
  const line = execFileSync(nm, ['-D', '--defined-only', file], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
    .split('\n')
    .find((l) => l.endsWith(` ${symbol}`));
  if (line === undefined)
    throw new Error(`patch-node: ${symbol} is not exported by ${file}; look at this Node.js again`);
  return BigInt(`0x${line.split(' ')[0]}`);
}

function fileOffset(file, address, readelf) {
  const loads = execFileSync(readelf, ['-lW', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    .split('\n')
    .filter((l) => l.trim().startsWith('LOAD'))
    .map((l) => l.trim().split(/\s+/))
    .map(([, offset, vaddr, , filesz]) => ({ offset: BigInt(offset), vaddr: BigInt(vaddr), size: BigInt(filesz) }));
  const seg = loads.find((s) => address >= s.vaddr && address < s.vaddr + s.size);
  if (seg === undefined)
    throw new Error(`patch-node: address 0x${address.toString(16)} is in no LOAD segment of ${file}`);
  return Number(address - seg.vaddr + seg.offset);
}

/** Applies every patch for the target's architecture to the ELF file in place (see node-targets.mjs). */
export function patchNode(file, target) {
  const data = readFileSync(file);
  for (const { symbol, code } of PATCHES[target.arch]) {
    const bytes = Buffer.from(code, 'hex');
    bytes.copy(data, fileOffset(file, symbolAddress(file, symbol, target.tools.nm), target.tools.readelf));
  }
  writeFileSync(file, data);
}
