export * from './limit-validators';
export * from './query-filters';
