import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('the test run’s event-loop watchdog', () => {
  it('a test that starves the event loop fails the run with its stack instead of hanging it', () => {
    // Jest's own timeout (here 1 s) is a timer on the starved loop: only the watchdog can end this.
    // A folder of its own and no transform: a cold start must not itself hold the loop for 3 s.
    const config = {
      rootDir: join(__dirname, 'fixtures', 'event-loop-stall'),
      globalSetup: join(__dirname, 'support', 'event-loop-watchdog.js'),
      transform: {},
      testMatch: ['<rootDir>/never-yields.fixture.js'],
      testTimeout: 1000,
    };
    const run = spawnSync(
      process.execPath,
      [require.resolve('jest/bin/jest'), '--ci', '--runInBand', '--config', JSON.stringify(config)],
      {
        cwd: join(__dirname, '..'),
        encoding: 'utf8',
        env: { ...process.env, TEST_EVENT_LOOP_STALL_S: '3' },
        timeout: 60_000,
      },
    );
    expect(run.error).toBeUndefined();
    expect(run.signal).toBe('SIGKILL');
    expect(run.stderr).toMatch(/event-loop watchdog: the test process's event loop has not run for \d+ s/);
    expect(run.stderr).toMatch(/--- sample 3 of 3/);
    expect(run.stderr).toMatch(/spinWithoutYielding \(.*never-yields\.fixture\.js:\d+:\d+\)/);
  }, 90_000);
});
