export * from './money';
export * from './periods';
