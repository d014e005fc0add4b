export * from './read-csv-rows';
