export type { ServiceHealthIndicator } from './service-health-indicator';
export { HealthController } from './health.controller';
