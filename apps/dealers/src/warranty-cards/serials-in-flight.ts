/** A batch's hold on its serials, from `SerialsInFlight.claim` until its transaction has ended. */
export interface SerialClaim {
  /** The serials a batch claimed earlier still holds; this batch inserts them last, with ON CONFLICT. */
  readonly contended: ReadonlySet<string>;
  release(): void;
}

/**
 * The serials this process is writing in card batches whose transactions have not ended yet.
 *
 * Only a scheduling hint: the partial unique index still decides which card is accepted. A batch
 * that COPYs a serial another open transaction has just written must wait for that transaction
 * to end, and then the whole COPY fails and is redone row by row. Knowing which serials a batch
 * of this process holds lets the next batch COPY the others and insert the shared few afterwards
 * with ON CONFLICT. A serial being written by another instance of the service still takes the
 * slow path.
 *
 * Each batch's serials are kept as the sorted array it claimed with, and compared by merging
 * sorted arrays: no hash table of every serial in flight is built and torn down per batch.
 */
export class SerialsInFlight {
  private readonly held = new Set<ReadonlyArray<string>>();

  /**
   * Claims the serials (sorted ascending by `<`, without repeats) that no earlier claim still
   * holds. Synchronous, so no other batch can claim in between.
   */
  claim(sortedSerials: ReadonlyArray<string>): SerialClaim {
    const contended = new Set<string>();
    for (const other of this.held) addCommon(sortedSerials, other, contended);
    const mine = contended.size === 0 ? sortedSerials : sortedSerials.filter((s) => !contended.has(s));
    this.held.add(mine);
    return { contended, release: () => this.held.delete(mine) };
  }

  /** Serials held by all claims not yet released. */
  get size(): number {
    let n = 0;
    for (const serials of this.held) n += serials.length;
    return n;
  }
}

/** Adds to `out` the strings two ascending arrays have in common. */
function addCommon(a: ReadonlyArray<string>, b: ReadonlyArray<string>, out: Set<string>): void {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i += 1;
    else if (a[i] > b[j]) j += 1;
    else {
      out.add(a[i]);
      i += 1;
      j += 1;
    }
  }
}

/** The strings among `values`, sorted ascending by `<`, each once. */
export function sortedUniqueStrings(values: Iterable<unknown>): string[] {
  const sorted = [...values].filter((v): v is string => typeof v === 'string').sort();
  return sorted.filter((s, i) => i === 0 || s !== sorted[i - 1]);
}
