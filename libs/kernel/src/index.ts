export * from './money';
export * from './periods';
export * from './limits';
export * from './canonical-json';
export * from './versions';
