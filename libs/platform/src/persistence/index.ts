export { textArrayLiteral } from './text-array-literal';
export { copyRows, copyRowsWith } from './copy-rows';
export { preparedQuery } from './prepared-query';
export { DatabaseConnectionLostError, isDatabaseUnavailable } from './database-errors';
export { currentRequestTransaction, RequestTransaction, runAfterCommit } from './request-transaction';
export { RequestTransactionDataSource } from './request-transaction-data-source';
export { isolateFailures } from './isolate-failures';
export * from './lock-row';
