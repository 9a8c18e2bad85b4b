import type { Response } from 'supertest';

/** The message of the error `fn` throws; fails the test if it throws none or a non-Error. */
export function errorMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    return (err as Error).message;
  }
  throw new Error('expected an error, but none was thrown');
}

/**
 * Asserts a problem+json answer (RFC 9457) with this status and type, a title and a detail (matching
 * `detail` when given), and no stack trace anywhere in it.
 */
export function expectProblem(res: Response, status: number, type: string, detail?: string | RegExp): void {
  expect({ status: res.status, type: res.body.type }).toEqual({ status, type });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/at .+\.(ts|js):\d+/);
  if (detail !== undefined) expect(res.body.detail).toMatch(detail);
}
