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
