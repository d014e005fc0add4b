export * from './problem-types';
export * from './problem.exception';
export * from './domain-error';
export * from './validation';
export * from './field-error';
export * from './list-field';
export { fieldMessageRef, localizeProblem } from './localize-problem';
export type { ProblemTexts, Translator } from './localize-problem';
export { DATABASE_RETRY_AFTER_SECONDS, ProblemDetailsFilter, toProblem } from './problem-details.filter';
