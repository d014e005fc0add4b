export * from './interval-job';
export * from './run-alone';
