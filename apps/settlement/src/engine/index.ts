export * from './statement-line';
export * from './statement-input';
export * from './compute-statement';
export * from './canonical-json';
export { cardRate, perCardAccrualLines } from './rules/accrual';
