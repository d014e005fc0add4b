/**
 * Extra health check contributed by another lib (e.g. messaging's Kafka indicator).
 * Register the class as a provider in its own module and pass the class to
 * PlatformModule.forRoot({ healthIndicators: [KafkaHealthIndicator] }).
 */
export interface ServiceHealthIndicator {
  readonly name: string;
  check(): Promise<{ up: boolean; details?: Record<string, unknown> }>;
}

export const HEALTH_INDICATOR_TYPES = 'PLATFORM_HEALTH_INDICATOR_TYPES';
