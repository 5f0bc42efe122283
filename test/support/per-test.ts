// Loopback fakes that live for one test: started on demand, closed after each test of the file.
import { afterEach } from 'vitest';

/** Registers the clean-up once per file and returns `track`, which schedules a fake's close. */
export function closeAfterEachTest(): <T extends { close(): Promise<void> }>(fake: T) => T {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((f) => f.close()));
  });
  return (fake) => {
    open.push(fake);
    return fake;
  };
}
