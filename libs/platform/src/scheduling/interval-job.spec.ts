import { IntervalJob } from './interval-job';

describe('IntervalJob', () => {
  it('skips a tick while the previous run is still going', async () => {
    let release!: () => void;
    let runs = 0;
    const job = new IntervalJob('test', null, () => {
      runs += 1;
      return new Promise<void>((resolve) => (release = resolve));
    });
    const first = job.tick();
    await job.tick();
    expect(runs).toBe(1);
    release();
    await first;
    const second = job.tick();
    release();
    await second;
    expect(runs).toBe(2);
  });

  it('survives a failed run and runs again on the next tick', async () => {
    let runs = 0;
    const job = new IntervalJob('test', null, async () => {
      runs += 1;
      if (runs === 1) throw new Error('boom');
    });
    await job.tick();
    await job.tick();
    expect(runs).toBe(2);
  });

  it('schedules nothing without an interval', () => {
    const spy = jest.spyOn(global, 'setInterval');
    new IntervalJob('test', null, async () => undefined).onApplicationBootstrap();
    new IntervalJob('test', 0, async () => undefined).onApplicationBootstrap();
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});
