import { bearer } from './service-harness';

/**
 * The named people the tests act as. Names matter where a rule tells people apart (four eyes on a
 * statement, the actor of an audit row), so each stays one token.
 */
export const people = {
  financeAlice: bearer('finance', undefined, 'finance-alice'),
  financeBob: bearer('finance', undefined, 'finance-bob'),
  auditorCarol: bearer('auditor', undefined, 'auditor-carol'),
  afterSalesBob: bearer('after-sales', undefined, 'as-bob'),
  afterSalesWang: bearer('after-sales', undefined, 'as-wang'),
};
