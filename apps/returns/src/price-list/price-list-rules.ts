/** One version of a part's prices as the returns service learned it (R-PRT-1). */
export interface PartPriceVersion {
  partNo: string;
  name: string;
  listPrice: string;
  costPrice: string;
  effectiveFrom: string;
}

/** R-PRT-1: the price in force on a date (kept here for the callers of these rules). */
export { priceInForce } from '@app/kernel';
