export * from './swagger.setup';
export * from './api-docs';
export * from './problem-responses';
export { completeContract } from './contract';
