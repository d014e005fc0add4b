export * from './limit-validators';
export * from './input-decorators';
