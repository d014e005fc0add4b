import { isolateFailures } from './isolate-failures';

describe('isolateFailures', () => {
  it('completes every item but the failing ones, which it names with their error', async () => {
    const failed: Array<[number, string]> = [];
    const calls: number[][] = [];
    const done = await isolateFailures(
      [1, 2, 3, 4, 5, 6, 7],
      async (part) => {
        calls.push(part);
        if (part.includes(3) || part.includes(6)) throw new Error(`bad ${part.join(',')}`);
        return part.map((n) => n * 10);
      },
      (item, err) => failed.push([item, (err as Error).message]),
    );
    expect(done).toEqual([10, 20, 40, 50, 70]);
    expect(failed).toEqual([
      [3, 'bad 3'],
      [6, 'bad 6'],
    ]);
    expect(calls[0]).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('rethrows an outage instead of blaming the items', async () => {
    const outage = Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
    const onFailure = jest.fn();
    await expect(isolateFailures([1, 2, 3], async () => Promise.reject(outage), onFailure)).rejects.toBe(outage);
    expect(onFailure).not.toHaveBeenCalled();
  });
});
