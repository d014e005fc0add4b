export * from './period.pipes';
