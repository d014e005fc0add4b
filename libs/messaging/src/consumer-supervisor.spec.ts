import { ConsumerSupervisor, SupervisedConsumer } from './consumer-supervisor';

const quietLogger = { warn: jest.fn(), error: jest.fn(), log: jest.fn() };
const waitFor = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** A fake consumer factory: `plan` says, per creation, whether start() succeeds ('crash-in-start': resolves after reporting a loss). */
function fakeFactory(plan: Array<boolean | 'crash-in-start'>) {
  const created: Array<{ lost: (e: Error) => void; healthy: () => void; disposed: boolean }> = [];
  const factory = (events: { lost: (e: Error) => void; healthy: () => void }): SupervisedConsumer => {
    const ok = plan[created.length] ?? true;
    const rec = { ...events, disposed: false };
    created.push(rec);
    const n = created.length;
    return {
      start: async () => {
        if (ok === 'crash-in-start') {
          events.lost(new Error(`crash while joining ${n}`));
          return;
        }
        if (!ok) throw new Error(`start ${n} failed`);
      },
      dispose: async () => {
        rec.disposed = true;
      },
    };
  };
  return { factory, created };
}

describe('ConsumerSupervisor (crash guard)', () => {
  it('re-creates a consumer that was lost and resumes running', async () => {
    const { factory, created } = fakeFactory([true, true]);
    const onFatal = jest.fn();
    const s = new ConsumerSupervisor(factory, { attempts: 3, initialDelayMs: 1 }, onFatal, quietLogger);
    await s.start();
    expect(s.isRunning()).toBe(true);
    created[0].lost(new Error('crash, no restart'));
    expect(s.state().status).toBe('restarting');
    await waitFor(() => created.length === 2 && s.isRunning());
    expect(created[0].disposed).toBe(true);
    expect(s.state().restarts).toBe(1);
    // Late reports from the old consumer are ignored.
    created[0].lost(new Error('late'));
    expect(s.isRunning()).toBe(true);
    expect(onFatal).not.toHaveBeenCalled();
    await s.stop();
  });

  it('calls onFatal after the restart budget of consecutive failures', async () => {
    const { factory, created } = fakeFactory([true, false, false, false]);
    const onFatal = jest.fn();
    const s = new ConsumerSupervisor(factory, { attempts: 3, initialDelayMs: 1 }, onFatal, quietLogger);
    await s.start();
    created[0].lost(new Error('gone'));
    await waitFor(() => onFatal.mock.calls.length === 1);
    expect(created).toHaveLength(4); // first + 3 restarts
    expect(s.state().status).toBe('failed');
    expect((onFatal.mock.calls[0][0] as Error).message).toMatch(/could not be restarted: Error: start 4 failed/);
  });

  it('a failing first start goes through the same budget', async () => {
    const { factory, created } = fakeFactory([false, true]);
    const onFatal = jest.fn();
    const s = new ConsumerSupervisor(factory, { attempts: 2, initialDelayMs: 1 }, onFatal, quietLogger);
    await s.start();
    await waitFor(() => s.isRunning());
    expect(created).toHaveLength(2);
    expect(onFatal).not.toHaveBeenCalled();
    await s.stop();
  });

  it('a consumer that became healthy resets the count', async () => {
    const { factory, created } = fakeFactory([true, true, true, true]);
    const onFatal = jest.fn();
    const s = new ConsumerSupervisor(factory, { attempts: 1, initialDelayMs: 1 }, onFatal, quietLogger);
    await s.start();
    for (let i = 0; i < 3; i++) {
      created[i].healthy();
      created[i].lost(new Error(`crash ${i}`));
      await waitFor(() => created.length === i + 2 && s.isRunning());
    }
    expect(onFatal).not.toHaveBeenCalled();
    await s.stop();
    expect(created[3].disposed).toBe(true);
  });

  it('a consumer that crashed while starting is restarted, not reported running (first start and restarts)', async () => {
    const { factory, created } = fakeFactory(['crash-in-start', 'crash-in-start', true]);
    const onFatal = jest.fn();
    const s = new ConsumerSupervisor(factory, { attempts: 3, initialDelayMs: 1 }, onFatal, quietLogger);
    await s.start();
    await waitFor(() => created.length === 3 && s.isRunning());
    expect(created[0].disposed).toBe(true);
    expect(created[1].disposed).toBe(true);
    expect(s.state()).toMatchObject({ status: 'running', restarts: 2, lastError: 'Error: crash while joining 2' });
    expect(onFatal).not.toHaveBeenCalled();
    await s.stop();
  });

  it('ignores losses after stop()', async () => {
    const { factory, created } = fakeFactory([true]);
    const onFatal = jest.fn();
    const s = new ConsumerSupervisor(factory, { attempts: 1, initialDelayMs: 1 }, onFatal, quietLogger);
    await s.start();
    await s.stop();
    created[0].lost(new Error('after stop'));
    await new Promise((r) => setTimeout(r, 20));
    expect(created).toHaveLength(1);
    expect(s.state().status).toBe('stopped');
  });
});
