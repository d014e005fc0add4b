import { PartitionLocks } from './partition-locks';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('PartitionLocks', () => {
  it('runs holders of one partition one after the other, in arrival order', async () => {
    const locks = new PartitionLocks();
    const order: string[] = [];
    const a = locks.run('t:0', async () => {
      order.push('a start');
      await tick();
      order.push('a end');
    });
    const b = locks.run('t:0', async () => {
      order.push('b');
    });
    await Promise.all([a, b]);
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  it('lets other partitions run meanwhile and reports who holds what', async () => {
    const locks = new PartitionLocks();
    let release!: () => void;
    const a = locks.run('t:0', () => new Promise<void>((r) => (release = r)));
    await tick();
    expect(locks.isHeld('t:0')).toBe(true);
    await locks.run('t:1', async () => expect(locks.isHeld('t:1')).toBe(true));
    release();
    await a;
    expect(locks.isHeld('t:0')).toBe(false);
  });

  it('a waiter whose wait is aborted does not release the current holder', async () => {
    const locks = new PartitionLocks();
    let release!: () => void;
    const a = locks.run('t:0', () => new Promise<void>((r) => (release = r)));
    await tick();
    const aborted = locks.run(
      't:0',
      async () => undefined,
      async () => {
        throw new Error('rebalance');
      },
    );
    await expect(aborted).rejects.toThrow('rebalance');
    expect(locks.isHeld('t:0')).toBe(true);
    release();
    await a;
  });
});
