import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

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
    collectDefaultMetrics({ register: this });
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
