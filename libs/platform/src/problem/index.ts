export * from './problem-types';
export * from './problem.exception';
export * from './domain-error';
export * from './validation';
export { DATABASE_RETRY_AFTER_SECONDS, ProblemDetailsFilter, toProblem } from './problem-details.filter';
