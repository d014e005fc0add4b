import { isDatabaseUnavailable } from './database-errors';

/**
 * Runs `work` over all `items` at once; when it fails because of something in the items, runs each
 * half again, down to the single items that fail, which are handed to `onFailure` while the
 * others complete. An outage (the database unavailable) blames no item and is rethrown.
 */
export async function isolateFailures<T, R>(
  items: T[],
  work: (part: T[]) => Promise<R[]>,
  onFailure: (item: T, err: unknown) => void,
): Promise<R[]> {
  if (items.length === 0) return [];
  try {
    return await work(items);
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw err;
    if (items.length === 1) {
      onFailure(items[0], err);
      return [];
    }
    const half = Math.ceil(items.length / 2);
    return [
      ...(await isolateFailures(items.slice(0, half), work, onFailure)),
      ...(await isolateFailures(items.slice(half), work, onFailure)),
    ];
  }
}
