/**
 * The serials this process is writing in card batches whose transactions have not ended yet.
 *
 * Only a scheduling hint: the partial unique index still decides which card is accepted. A batch
 * that COPYs a serial another open transaction has just written must wait for that transaction
 * to end, and then the whole COPY fails and is redone row by row. Knowing which serials a batch
 * of this process holds lets the next batch COPY the others and insert the shared few afterwards
 * with ON CONFLICT. A serial being written by another instance of the service still takes the
 * slow path.
 */
export class SerialsInFlight {
  private readonly held = new Set<string>();

  /**
   * Claims every serial no batch of this process holds; returns those (`claimed`) and the ones
   * already held (`contended`), each in the order given. Synchronous, so no other batch can claim
   * in between.
   */
  claim(serials: ReadonlyArray<string>): { claimed: string[]; contended: string[] } {
    const claimed: string[] = [];
    const contended: string[] = [];
    for (const serial of serials) {
      if (this.held.has(serial)) {
        contended.push(serial);
      } else {
        this.held.add(serial);
        claimed.push(serial);
      }
    }
    return { claimed, contended };
  }

  /** Releases what `claim` returned as claimed, once the claiming transaction has ended. */
  release(claimed: ReadonlyArray<string>): void {
    for (const serial of claimed) this.held.delete(serial);
  }

  get size(): number {
    return this.held.size;
  }
}
