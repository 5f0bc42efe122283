// Every file is read up to a cap: a device that never ends fails at once, a regular file over the cap
// fails before a byte is read, and a file at the cap is read whole.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileTooLargeError } from '../../src/errors/file-too-large.js';
import { describeUnreadable } from '../../src/errors/unreadable-file.js';
import { MAX_FILE_BYTES, readBoundedFile } from '../../src/process/read-bounded-file.js';

const dir = mkdtempSync(join(tmpdir(), 'secrets-exec-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readBoundedFile', () => {
  it('reads a file of exactly the cap, byte for byte', async () => {
    const path = join(dir, 'exact');
    const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
    writeFileSync(path, bytes);
    expect((await readBoundedFile(path, 1000)).equals(bytes)).toBe(true);
  });

  it('refuses a regular file one byte over the cap', async () => {
    const path = join(dir, 'over');
    writeFileSync(path, Buffer.alloc(1001));
    await expect(readBoundedFile(path, 1000)).rejects.toBeInstanceOf(FileTooLargeError);
  });

  it('stops reading /dev/zero just past the default cap instead of reading forever', async () => {
    const error = await readBoundedFile('/dev/zero').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect((error as FileTooLargeError).maxBytes).toBe(MAX_FILE_BYTES);
    expect((error as FileTooLargeError).code).toBe('EFBIG');
  });

  it('reads an empty file and passes on the error of a missing one', async () => {
    writeFileSync(join(dir, 'empty'), '');
    expect((await readBoundedFile(join(dir, 'empty'))).length).toBe(0);
    await expect(readBoundedFile(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a directory with its own error', async () => {
    await expect(readBoundedFile(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});

describe('describeUnreadable', () => {
  it('says that a file is too large and names the cap, not "cannot read it"', () => {
    expect(describeUnreadable('--env-file', '/dev/zero', new FileTooLargeError(4 * 1024 * 1024))).toBe(
      '--env-file /dev/zero: larger than 4 MiB, more than secrets-exec reads from any file (is it the right file?)',
    );
  });
});
