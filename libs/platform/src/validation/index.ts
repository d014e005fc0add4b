export * from './limit-validators';
