import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');

describe('the test run’s event-loop watchdog', () => {
  it('a test that starves the event loop fails the run with its stack instead of hanging it', () => {
    // Jest's own timeout (here 1 s) is a timer on the starved loop: only the watchdog can end this.
    const config = {
      rootDir: root,
      globalSetup: '<rootDir>/test/support/event-loop-watchdog.js',
      transform: { '^.+\\.ts$': 'ts-jest' },
      testMatch: ['<rootDir>/test/fixtures/event-loop-stall.fixture.ts'],
      testTimeout: 1000,
    };
    const run = spawnSync(
      process.execPath,
      [require.resolve('jest/bin/jest'), '--ci', '--runInBand', '--config', JSON.stringify(config)],
      { cwd: root, encoding: 'utf8', env: { ...process.env, TEST_EVENT_LOOP_STALL_S: '3' }, timeout: 60_000 },
    );
    expect(run.error).toBeUndefined();
    expect(run.signal).toBe('SIGKILL');
    expect(run.stderr).toMatch(/event-loop watchdog: the test process's event loop has not run for \d+ s/);
    expect(run.stderr).toMatch(/--- sample 3 of 3/);
    expect(run.stderr).toMatch(/spinWithoutYielding \(.*event-loop-stall\.fixture\.ts:\d+:\d+\)/);
  }, 90_000);
});
