export { buildLoggerParams, contextMixin, REDACTED_PATHS } from './logging.module';
