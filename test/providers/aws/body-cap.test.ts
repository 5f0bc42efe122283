// Every AWS answer is read with a cap (src/providers/shared/aws-body-cap.ts): an oversized body, whether a 200 or an
// error, fails as Invalid after at most the cap is read, never echoing the body; answers below it are untouched.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { capped } from '../../../src/providers/shared/aws-body-cap.js';
import { BodyTooLargeError } from '../../../src/providers/shared/network-errors.js';
import { startFaultFront } from '../../fakes/fault-front.js';
import { awsContext, current, errorOf, resolveRefs, useAwsFake, valueOf } from '../../support/aws.js';

useAwsFake();
const PAD = 'PADDING-TEXT-';

describe('AWS answers are read with a cap', () => {
  it.each([
    ['aws-sm://app/db', 'secretsmanager.GetSecretValue'],
    ['aws-ssm:///app/db', 'AmazonSSM.GetParameter'],
  ])('%s: a 9 MiB answer is Invalid, with no body text in the message', async (ref, target) => {
    current.fake.putSecret('app/db', 'body-cap-value-1a2b');
    current.fake.putParameter('/app/db', 'body-cap-value-1a2b');
    const front = await startFaultFront({
      target: current.fake.url,
      rules: [
        {
          match: (req) => String(req.headers['x-amz-target'] ?? '').startsWith(target.split('.')[0] ?? ''),
          action: { kind: 'oversized', marker: PAD, bytes: 9 * 1024 * 1024 },
        },
      ],
    });
    try {
      const [outcome] = await resolveRefs([ref], {}, awsContext({ AWS_ENDPOINT_URL: front.url }));
      const error = errorOf(outcome);
      expect(error.kind).toBe('Invalid');
      expect(error.message).toMatch(/more than 4194304 bytes/);
      expect(error.message).not.toContain(PAD);
      expect(front.matched()).toBe(1);
    } finally {
      await front.close();
    }
  });

  it('leaves answers below the cap alone', async () => {
    current.fake.putSecret('app/big', 'v'.repeat(60_000));
    expect(valueOf((await resolveRefs(['aws-sm://app/big']))[0])).toHaveLength(60_000);
  });

  it('passes a stream through below the cap and fails it just above', async () => {
    const read = (stream: Readable): Promise<Buffer> =>
      new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
      });
    const chunks = (n: number): Readable => Readable.from([Buffer.alloc(n, 1), Buffer.alloc(n, 2)]);
    expect(await read(capped(chunks(50), 100))).toHaveLength(100);
    await expect(read(capped(chunks(51), 100))).rejects.toBeInstanceOf(BodyTooLargeError);
  });
});
