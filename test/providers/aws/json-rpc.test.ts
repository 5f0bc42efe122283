// How an AWS JSON 1.1 answer is read: the documented places of the error type (`__type`, possibly with a
// `namespace#` prefix; a `code` member; the `x-amzn-ErrorType` header, possibly with a `:` suffix), the
// message in `message` or `Message`, and a body that is not JSON, which is never quoted.
import { describe, expect, it } from 'vitest';
import { classifyAwsError } from '../../../src/providers/aws/errors.js';
import { readAnswer } from '../../../src/providers/aws/json-rpc.js';

function answer(status: number, body: string, headers: Record<string, string> = {}) {
  return { status, headers, body: Buffer.from(body) };
}

function thrown(status: number, body: string, headers: Record<string, string> = {}): Record<string, unknown> {
  try {
    readAnswer(answer(status, body, headers));
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('readAnswer did not throw');
}

describe('readAnswer', () => {
  it('answers the JSON object of a 200, and an empty body as an empty object', () => {
    expect(readAnswer(answer(200, '{"Name":"db","SecretString":"x"}'))).toEqual({ Name: 'db', SecretString: 'x' });
    expect(readAnswer(answer(200, ''))).toEqual({});
  });

  it.each([
    ['__type with a namespace', { __type: 'com.amazonaws.secretsmanager#ResourceNotFoundException' }, {}],
    ['__type alone', { __type: 'ResourceNotFoundException' }, {}],
    ['a code member', { Code: 'ResourceNotFoundException' }, {}],
    [
      'the x-amzn-ErrorType header with a URL after a colon',
      {},
      { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.secrets/' },
    ],
    ['__type before the header', { __type: 'ResourceNotFoundException' }, { 'x-amzn-errortype': 'Other' }],
  ])('reads the error type from %s', (_, body, headers) => {
    const error = thrown(400, JSON.stringify({ ...body, message: 'no such secret' }), headers);
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toBe('no such secret');
    expect(error.$fault).toBe('client');
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
    expect(classifyAwsError(error).kind).toBe('NotFound');
  });

  it('takes the message from Message too, and marks a 5xx as a server fault', () => {
    const error = thrown(503, JSON.stringify({ __type: 'ServiceUnavailable', Message: 'try later' }));
    expect(error.message).toBe('try later');
    expect(error.$fault).toBe('server');
    const failure = classifyAwsError(error);
    expect(failure.kind).toBe('Unavailable');
    expect(failure.message).toMatch(/AWS says "try later"/);
  });

  it('marks throttling for the retry policy', () => {
    const failure = classifyAwsError(thrown(400, JSON.stringify({ __type: 'ThrottlingException', message: 'Rate' })));
    expect(failure.kind).toBe('Unavailable');
    expect(failure.throttled).toBe(true);
  });

  it('never quotes a body that is not a JSON object, and lets the status speak', () => {
    for (const [status, kind] of [
      [403, 'Denied'],
      [502, 'Unavailable'],
      [200, 'Invalid'],
    ] as const) {
      for (const body of ['<html>hunter2</html>', '["hunter2"]', '"hunter2"']) {
        const failure = classifyAwsError(thrown(status, body));
        expect(failure.kind).toBe(kind);
        expect(failure.message).not.toMatch(/hunter2/);
      }
    }
  });

  it('names an error without any type UnknownError, classified by its status', () => {
    const error = thrown(500, '');
    expect(error.name).toBe('UnknownError');
    expect(classifyAwsError(error).kind).toBe('Unavailable');
  });
});
