export * from './money';
export * from './periods';
export * from './limits';
