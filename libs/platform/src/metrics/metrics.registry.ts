import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Resolution of the event-loop delay metrics (nodejs_eventloop_lag_*). */
const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * Per-application Prometheus registry (several apps may share one process in tests, so the
 * prom-client global registry is never used). Injectable by class: `constructor(metrics: MetricsRegistry)`.
 */
export class MetricsRegistry extends Registry {
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor(serviceName: string) {
    super();
    this.setDefaultLabels({ service: serviceName });
    // The event-loop delay histogram samples on a libuv timer; prom-client's default of 10 ms
    // woke every idle service 100 times a second. 100 ms still resolves the delays that matter.
    collectDefaultMetrics({ register: this, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this],
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this],
    });
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }
}
