/**
 * kafkajs 2.2.4 (the last release) keeps every broker connection's RequestQueue re-arming a
 * 0–1 ms timer for as long as the process lives (tulios/kafkajs#1556 and #1704; the fixes in
 * PRs #1667 and #1768 were never released): with no request pending and no throttle,
 * `throttledUntil - Date.now()` is negative, so `scheduleCheckPendingRequests` sets a timer that
 * fires at once, whose check schedules the next one. An idle service woke its event loop about
 * 1,400 times a second for it and burned ~5 % of a core doing nothing.
 *
 * This replaces that one method with the same rules minus the loop: a check is scheduled while
 * requests wait (at the end of the throttle, or after 10 ms as before) or while a throttle runs
 * out; with nothing waiting and no throttle there is nothing to check. Requests held back by the
 * in-flight limit are still sent when an answer arrives (kafkajs checks the queue then).
 */
// The class is internal to kafkajs; it is the same module instance kafkajs itself loads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue') as RequestQueueClass;

/** The check interval kafkajs uses while requests wait without a throttle. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
}

interface RequestQueueClass {
  prototype: RequestQueueState & { scheduleCheckPendingRequests(this: RequestQueueState): void };
}

const PATCHED = Symbol.for('settlement.kafkajs.requestQueueIdleLoop');

function scheduleCheckPendingRequests(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  if (this.pending.length === 0 && untilUnthrottled <= 0) return;
  const delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

/** Installs the fix once per process; true when it is in place. */
export function fixRequestQueueIdleLoop(): boolean {
  const proto = RequestQueue.prototype as RequestQueueClass['prototype'] & { [PATCHED]?: true };
  if (typeof proto.scheduleCheckPendingRequests !== 'function')
    throw new Error('kafkajs RequestQueue.scheduleCheckPendingRequests not found: check the idle-loop fix');
  if (!proto[PATCHED]) {
    proto.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
    proto[PATCHED] = true;
  }
  return true;
}

/** @internal For tests: the kafkajs class the fix applies to. */
export const requestQueueClass = RequestQueue;
