export * from './problem-types';
export * from './problem.exception';
export * from './domain-error';
export * from './validation';
export { ProblemDetailsFilter, toProblem } from './problem-details.filter';
