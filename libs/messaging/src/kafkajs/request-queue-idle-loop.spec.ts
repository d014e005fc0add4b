import { fixRequestQueueIdleLoop, requestQueueClass } from './request-queue-idle-loop';

/** A RequestQueue as kafkajs builds one per broker connection, without a socket. */
function newQueue() {
  const RequestQueue = requestQueueClass as unknown as new (args: Record<string, unknown>) => {
    pending: unknown[];
    throttledUntil: number;
    checkPendingRequests(): void;
    destroy(): void;
  };
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  return new RequestQueue({
    instrumentationEmitter: null,
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'test',
    broker: 'localhost:9092',
    logger,
    isConnected: () => true,
  });
}

describe('kafkajs RequestQueue idle loop (tulios/kafkajs#1556)', () => {
  beforeAll(() => fixRequestQueueIdleLoop());
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('an idle queue, once checked, arms no timer (kafkajs 2.2.4 re-armed one every millisecond)', () => {
    const queue = newQueue();
    const checks = jest.spyOn(queue, 'checkPendingRequests');
    queue.checkPendingRequests();
    jest.advanceTimersByTime(1_000);
    expect(checks).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
    queue.destroy();
  });

  it('a request waiting for a throttle is checked again when the throttle ends', () => {
    const queue = newQueue();
    const send = jest.fn();
    queue.throttledUntil = Date.now() + 500;
    queue.pending.push({ send, correlationId: 1, expectResponse: true, entry: {} });
    const checks = jest.spyOn(queue, 'checkPendingRequests').mockImplementation(function (this: typeof queue) {
      if (this.throttledUntil <= Date.now()) this.pending.length = 0;
    });
    (queue as unknown as { scheduleCheckPendingRequests(): void }).scheduleCheckPendingRequests();
    jest.advanceTimersByTime(499);
    expect(checks).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(checks).toHaveBeenCalledTimes(1);
    expect(queue.pending).toHaveLength(0);
    queue.destroy();
  });

  it('a request waiting without a throttle is checked again after 10 ms, as kafkajs does', () => {
    const queue = newQueue();
    queue.pending.push({ correlationId: 2 });
    const checks = jest.spyOn(queue, 'checkPendingRequests').mockImplementation(() => undefined);
    (queue as unknown as { scheduleCheckPendingRequests(): void }).scheduleCheckPendingRequests();
    jest.advanceTimersByTime(9);
    expect(checks).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(checks).toHaveBeenCalledTimes(1);
    queue.destroy();
  });

  it('is installed once, however many clients are created', () => {
    const patched = requestQueueClass.prototype.scheduleCheckPendingRequests;
    fixRequestQueueIdleLoop();
    expect(requestQueueClass.prototype.scheduleCheckPendingRequests).toBe(patched);
  });
});
