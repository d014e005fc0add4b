import { bearer } from './service-harness';

/**
 * The named people the tests act as. Names matter where a rule tells people apart (four eyes on a
 * statement, the actor of an audit row), so each stays one token. The plain role names (`finance`,
 * `auditor`, `d001` …) are anyone of that role, or of that dealer, where the test does not care who.
 */
export const people = {
  financeAlice: bearer('finance', undefined, 'finance-alice'),
  financeBob: bearer('finance', undefined, 'finance-bob'),
  auditorCarol: bearer('auditor', undefined, 'auditor-carol'),
  auditorAnn: bearer('auditor', undefined, 'auditor-ann'),
  auditorCarl: bearer('auditor', undefined, 'auditor-carl'),
  adminAnn: bearer('admin', undefined, 'admin-ann'),
  afterSalesBob: bearer('after-sales', undefined, 'as-bob'),
  afterSalesWang: bearer('after-sales', undefined, 'as-wang'),
  finance: bearer('finance'),
  auditor: bearer('auditor'),
  admin: bearer('admin'),
  afterSales: bearer('after-sales'),
  d001: bearer('dealer', 'D001'),
  d002: bearer('dealer', 'D002'),
  d404: bearer('dealer', 'D404'),
  d001User: bearer('dealer', 'D001', 'd001-user'),
  d002User: bearer('dealer', 'D002', 'd002-user'),
};
