// The check made before a vendor library reads a file by itself: what passes (a small file, /dev/null, a
// missing file the library treats as empty) and what is refused (a device past the cap, a pipe, a
// directory, an unreadable file the library would not ignore), with the real capped reader.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/errors/errors.js';
import { readBoundedFile } from '../../../src/process/read-bounded-file.js';
import { checkVendorFile, checkVendorFiles, type VendorFile } from '../../../src/providers/shared/vendor-file.js';

const dir = mkdtempSync(join(tmpdir(), 'vendor-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const small = join(dir, 'small');
writeFileSync(small, '[default]\nregion = eu-west-1\n');
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const notDir = join(small, 'below');

const check = (path: string, extra: Partial<VendorFile> = {}): Promise<void> =>
  checkVendorFile(readBoundedFile, { path, what: 'SOME_FILE', mayBeMissing: false, ...extra });

async function refusal(promise: Promise<void>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).kind).toBe('Invalid');
  return (error as ProviderError).message;
}

describe('checkVendorFile', () => {
  it('passes a small file, /dev/null, and a missing file the library treats as empty', async () => {
    await expect(check(small)).resolves.toBeUndefined();
    await expect(check('/dev/null')).resolves.toBeUndefined();
    await expect(check(join(dir, 'missing'), { mayBeMissing: true })).resolves.toBeUndefined();
  });

  it('refuses a device past the cap, a pipe and a directory, naming what names the file', async () => {
    expect(await refusal(check('/dev/zero'))).toMatch(/^SOME_FILE \/dev\/zero: larger than 4 MiB/);
    expect(await refusal(check(fifo))).toMatch(/^SOME_FILE .*fifo: a pipe or socket, which the vendor library/);
    expect(await refusal(check(dir))).toMatch(/: a directory, not a file$/);
    expect(await refusal(check(join(dir, 'missing')))).toMatch(/cannot read it \(ENOENT\)$/);
    expect(await refusal(check(notDir))).toMatch(/cannot read it \(ENOTDIR\)$/);
  });

  it('lets a default file the library would ignore be, but never one that would hang or fill memory', async () => {
    const lenient = { mayBeMissing: true, unreadableIsAbsent: true };
    await expect(check(notDir, lenient)).resolves.toBeUndefined();
    await expect(check(dir, lenient)).resolves.toBeUndefined();
    expect(await refusal(check('/dev/zero', lenient))).toMatch(/larger than 4 MiB/);
    expect(await refusal(check(fifo, lenient))).toMatch(/a pipe or socket/);
  });

  it('checks several files at once and reports the first failure in the order given', async () => {
    const files: VendorFile[] = [
      { path: small, what: 'A', mayBeMissing: false },
      { path: fifo, what: 'B', mayBeMissing: false },
      { path: '/dev/zero', what: 'C', mayBeMissing: false },
    ];
    expect(await refusal(checkVendorFiles(readBoundedFile, files))).toMatch(/^B /);
  });
});
