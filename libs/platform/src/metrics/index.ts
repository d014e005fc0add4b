export { MetricsRegistry } from './metrics.registry';
export { MetricsController } from './metrics.controller';
export { HttpMetricsHooks } from './http-metrics.hooks';
