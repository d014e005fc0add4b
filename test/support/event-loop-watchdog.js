/**
 * Jest's global setup: a watchdog on the event loop of the process that runs the tests.
 *
 * Jest runs the suites in band here (2 cores), so its own timeouts are timers on that same event
 * loop. Code that never yields to it, a loop of promises that resolve at once, say, starves those
 * timers too: the run would neither fail nor end until CI's own limit. The main thread stamps a
 * shared clock every second; a worker thread checks the stamp and, once it is older than
 * TEST_EVENT_LOOP_STALL_S (default 300 s), pauses the main thread through the inspector, prints
 * where it is running (three samples, with the async chain that led there) and kills the process,
 * so the run fails at once with the place to look.
 */
const { Worker, isMainThread, workerData } = require('node:worker_threads');

const DEFAULT_STALL_S = 300;

if (isMainThread) {
  module.exports = function startEventLoopWatchdog() {
    if (globalThis.__eventLoopWatchdog) return;
    const setting = process.env.TEST_EVENT_LOOP_STALL_S ?? String(DEFAULT_STALL_S);
    // An empty or mistyped value must not become 0 (every run killed) or NaN (never).
    if (!/^[1-9]\d*$/.test(setting))
      throw new Error(`TEST_EVENT_LOOP_STALL_S must be whole seconds > 0, not "${setting}"`);
    const stallSeconds = Number(setting);
    const stamp = new Int32Array(new SharedArrayBuffer(4));
    const beat = () => Atomics.store(stamp, 0, Math.floor(Date.now() / 1000));
    beat();
    setInterval(beat, 1000).unref();
    const worker = new Worker(__filename, { workerData: { stamp, stallSeconds } });
    worker.unref();
    globalThis.__eventLoopWatchdog = worker;
  };
} else {
  runWatchdog(workerData);
}

function runWatchdog({ stamp, stallSeconds }) {
  const fs = require('node:fs');
  const write = (text) => fs.writeSync(2, `${text}\n`);
  const timer = setInterval(() => {
    const silentFor = Math.floor(Date.now() / 1000) - Atomics.load(stamp, 0);
    if (silentFor < stallSeconds) return;
    clearInterval(timer);
    write(`\nevent-loop watchdog: the test process's event loop has not run for ${silentFor} s.`);
    sampleMainThread(write, 3, () => process.kill(process.pid, 'SIGKILL'));
  }, 5000);
}

/**
 * Pauses the main thread until it has `samples` stacks, a second apart, that show code outside
 * Node's internals (a pause often lands in the promise hooks, whose stack ends there), printing
 * each; after `MAX_PAUSES` pauses it prints what it has.
 */
function sampleMainThread(write, samples, done) {
  const inspector = require('node:inspector');
  const MAX_PAUSES = 50;
  const session = new inspector.Session();
  session.connectToMainThread();
  const scripts = new Map();
  let taken = 0;
  let pauses = 0;
  const urlOf = (frame, location) => frame.url || scripts.get(location.scriptId) || '?';
  session.on('Debugger.scriptParsed', ({ params }) => scripts.set(params.scriptId, params.url));
  session.on('Debugger.paused', ({ params }) => {
    pauses += 1;
    const showsCode = params.callFrames.some((frame) => !urlOf(frame, frame.location).startsWith('node:'));
    const printed = showsCode || pauses >= MAX_PAUSES;
    if (printed) {
      taken += 1;
      write(`--- sample ${taken} of ${samples}`);
      if (params.callFrames.length === 0) write('    (no JavaScript on the stack: blocked in native code)');
      for (const frame of params.callFrames)
        write(`    at ${describeFrame(frame, urlOf(frame, frame.location), frame.location)}`);
      for (let chain = params.asyncStackTrace; chain; chain = chain.parent) {
        write(`    -- ${chain.description || 'async'}`);
        for (const frame of chain.callFrames) write(`    at ${describeFrame(frame, urlOf(frame, frame), frame)}`);
      }
    }
    session.post('Debugger.resume');
    if (taken >= samples || pauses >= MAX_PAUSES) return done();
    setTimeout(() => session.post('Debugger.pause'), printed ? 1000 : 20);
  });
  session.post('Debugger.enable', () =>
    // The async chain is recorded only for work scheduled from now on: let the loop go round first.
    session.post('Debugger.setAsyncCallStackDepth', { maxDepth: 16 }, () =>
      setTimeout(() => session.post('Debugger.pause'), 2000),
    ),
  );
  setTimeout(done, 60_000);
}

function describeFrame(frame, url, location) {
  return `${frame.functionName || '(anonymous)'} (${url}:${location.lineNumber + 1}:${location.columnNumber + 1})`;
}
