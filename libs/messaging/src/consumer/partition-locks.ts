/**
 * One holder per topic-partition at a time: the stream, a tail check and an operator's replay of
 * the same partition take turns, so a partition's events are applied in sequence order.
 */
export class PartitionLocks {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly held = new Set<string>();

  isHeld(key: string): boolean {
    return this.held.has(key);
  }

  /**
   * Runs `work` once the partition is free. `whileWaiting` is called about every second until
   * then (the stream heartbeats its consumer group while it waits).
   */
  async run<T>(key: string, work: () => Promise<T>, whileWaiting?: () => Promise<void>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    let acquired = false;
    try {
      await waitWithTicks(previous, whileWaiting);
      acquired = true;
      this.held.add(key);
      return await work();
    } finally {
      if (acquired) this.held.delete(key);
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

async function waitWithTicks(p: Promise<void>, tick?: () => Promise<void>): Promise<void> {
  if (!tick) return p;
  let done = false;
  const settled = p.then(() => {
    done = true;
  });
  while (!done) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([settled, new Promise<void>((r) => (timer = setTimeout(r, 1000)))]);
    clearTimeout(timer);
    if (!done) await tick();
  }
}
