export * from './context.constants';
export * from './request-context.service';
export { resolveCorrelationId } from './context.module';
