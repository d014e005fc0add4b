export * from './period.pipes';
export * from './pattern.pipe';
