import type { AgreementTerms, SettlementMode } from '@app/contracts';
import type { StatementLine } from './statement-line';

/**
 * Everything the pure engine needs to compute one dealer's quarterly statement (or a
 * quarter-to-date tally). Built by `FactsRepository.loadStatementInput(s)` from
 * settlement's own projections; the engine does no I/O (STYLE §4).
 *
 * All money values are decimal strings with two places ("15.00"); the engine never uses floats.
 * Every fact already lies in the period of its own date (R-SET-10): the loader selected it so.
 */
export interface StatementInput {
  dealerCode: string;
  /** YYYY-Qn */
  quarter: string;
  /** FUND_CARRY_OVER: last quarter's carried closing; PAYOUT: "0.00" (R-SET-2). */
  openingBalance: string;
  /** From the terms in force in the quarter's last month that has terms. */
  settlementMode: SettlementMode;
  /** Exactly the three months of the quarter, ascending. */
  months: MonthInput[];
  /** Counted cards per month and model, AFTER R-AUD-2 exclusions (withdrawn cards are gone too). */
  cardCounts: CardCountInput[];
  /** Cards of the quarter found INCOMPLETE or FALSIFIED (R-AUD-2, R-AUD-3); they are NOT in cardCounts. */
  excludedCards: ExcludedCardInput[];
  collections: CollectionInput[];
  purchases: PurchaseInput[];
  requisitionLines: RequisitionLineInput[];
  urgentFreight: UrgentFreightInput[];
  oldPartsInvoiced: OldPartsInvoiceInput[];
  returnCharges: ReturnChargeInput[];
  complaints: PenaltyFactInput[];
  violations: PenaltyFactInput[];
  /** Breaches recorded by finance for THIS quarter (R-SET-6). */
  breaches: BreachInput[];
  /** R-SET-7: facts of an already-approved earlier quarter that arrived after its approval. */
  lateFacts: LateFact[];
  /** R-DSP-2: accepted disputes whose amount enters this statement. */
  disputeResolutions: DisputeResolutionInput[];
  /** Q4 only (R-AWD-1, R-REP-4); null otherwise. */
  year: YearContext | null;
}

export interface MonthInput {
  /** YYYY-MM */
  month: string;
  /** Terms in force on the month's first day (R-AGR-1); undefined when none. */
  terms: AgreementTerms | undefined;
  agreementVersion: number | undefined;
  /** ISO instant the sales statistics were first submitted; null = never submitted by the run (R-REP-4). */
  reportFirstSubmittedAt: string | null;
  reportOnTime: boolean;
  /**
   * DOMAIN §9: the month's report due time had not passed when the statement (or tally) was
   * computed: the month is PENDING — no R-REP-4 line, its cards accrue provisionally, and the
   * quarter is not approved until no month is pending. Absent = due.
   */
  pending?: boolean;
}

export interface CardCountInput {
  month: string;
  model: string;
  count: number;
}

export type ExcludingAuditResult = 'INCOMPLETE' | 'FALSIFIED';

export interface ExcludedCardInput {
  serial: string;
  model: string;
  /** Report month of the card. */
  month: string;
  result: ExcludingAuditResult;
  auditId: string;
  recordedOn: string;
}

export interface CollectionInput {
  id: string;
  reference: string;
  /** YYYY-MM-DD (R-SET-10: falls in the month of its value date). */
  valueDate: string;
  amount: string;
}

export interface PurchaseInput {
  id: string;
  reference: string;
  /** YYYY-MM-DD (R-SET-10: falls in the month of its invoice date). */
  invoiceDate: string;
  amount: string;
}

export interface RequisitionLineInput {
  requisitionId: string;
  lineId: string;
  approvedOn: string;
  partNo: string;
  partName?: string;
  purpose?: 'WARRANTY' | 'STOCK';
  quantity: number;
  listPrice: string;
  /** quantity × listPrice, rounded once by requisitions. */
  amount: string;
  chargeTo: 'ALLOWANCE' | 'FREE' | 'INVOICE';
}

export interface UrgentFreightInput {
  requisitionId: string;
  approvedOn: string;
  amount: string;
}

export interface OldPartsInvoiceInput {
  requisitionId: string;
  lineId: string;
  partNo?: string;
  quantity?: number;
  costPrice?: string;
  invoicedOn: string;
  amount: string;
}

export interface ReturnChargeInput {
  returnId: string;
  closedOn: string;
  returnClass: string;
  /** Rule id given by returns (e.g. R-RET-4). */
  ruleId: string;
  kind: string;
  payer: 'MANUFACTURER' | 'DEALER_ALLOWANCE';
  amount: string;
  detail?: string;
}

/** A complaint or a violation (DOMAIN §6). */
export interface PenaltyFactInput {
  id: string;
  reference: string;
  date: string;
  amount: string;
  kind?: string;
}

export interface BreachInput {
  id: string;
  reference: string;
  quarter: string;
}

export interface DisputeResolutionInput {
  disputeId: string;
  statementId: string;
  /** Signed: positive credits the dealer, negative charges it. */
  amount: string;
  /** Quarter of the disputed statement, for the description. */
  quarter?: string;
}

export interface YearContext {
  /**
   * The prior quarters' part of "the year's allowance" (R-AWD-1, R-REP-4, DOMAIN §9): their allowance
   * accrual net of every cancellation and of every accrual adjustment for their months (R-SET-5/6/7)
   * known when the Q4 statement is computed.
   */
  priorQuartersAllowance: string;
  /** The months of the year the dealer had terms for, ascending. */
  monthsOfYear: Array<{ month: string; submitted: boolean; onTime: boolean }>;
  unitsSold: number;
  complaintsCount: number;
  surveyed: number;
  satisfied: number;
}

/**
 * R-SET-7: a fact whose own period lies in an already-approved quarter and that arrived
 * after that approval. `period` is the fact's own month (or quarter for a breach); `terms`
 * are the terms in force in that month (R-AGR-1).
 */
export type LateFact =
  | {
      kind: 'AUDIT_FINDING';
      period: string;
      terms: AgreementTerms | undefined;
      agreementVersion: number | undefined;
      /** Whether the card was counted (paid) in the approved statement. */
      wasCounted: boolean;
      /** CANCEL_QUARTER only: the approved quarter's allowance accrual after cancellations, to reverse. */
      quarterAccrual?: string;
      card: ExcludedCardInput;
    }
  | {
      kind: 'CARDS_ACCEPTED' | 'CARDS_WITHDRAWN';
      period: string;
      terms: AgreementTerms | undefined;
      agreementVersion: number | undefined;
      /** Whether the month accrued PER_CARD allowance (its report was submitted by the run). */
      monthAccrues: boolean;
      /** The quarter's accrual stands cancelled (R-SET-5/6) in what was settled before this statement. */
      quarterCancelled?: boolean;
      model: string;
      count: number;
      factId: string;
    }
  | {
      kind: 'COLLECTION';
      period: string;
      terms: AgreementTerms | undefined;
      agreementVersion: number | undefined;
      fact: CollectionInput;
      /**
       * DOMAIN §9: the month's base of this kind already settled (in the approved statement and in
       * earlier adjustment statements), before the late facts of this statement. Absent = 0.00.
       */
      settledBase?: string;
      /** The quarter's accrual stands cancelled (R-SET-5/6) in what was settled before this statement. */
      quarterCancelled?: boolean;
    }
  | {
      kind: 'PURCHASE';
      period: string;
      terms: AgreementTerms | undefined;
      agreementVersion: number | undefined;
      fact: PurchaseInput;
      /**
       * DOMAIN §9: the month's base of this kind already settled (in the approved statement and in
       * earlier adjustment statements), before the late facts of this statement. Absent = 0.00.
       */
      settledBase?: string;
      /** The quarter's accrual stands cancelled (R-SET-5/6) in what was settled before this statement. */
      quarterCancelled?: boolean;
    }
  | { kind: 'REQUISITION_LINE'; period: string; fact: RequisitionLineInput }
  | { kind: 'URGENT_FREIGHT'; period: string; fact: UrgentFreightInput }
  | { kind: 'OLD_PARTS_INVOICE'; period: string; fact: OldPartsInvoiceInput }
  | { kind: 'RETURN_CHARGE'; period: string; fact: ReturnChargeInput }
  | { kind: 'COMPLAINT' | 'VIOLATION'; period: string; fact: PenaltyFactInput }
  | {
      kind: 'BREACH';
      period: string;
      fact: BreachInput;
      /** The approved quarter's allowance accrual after cancellations, to reverse. */
      quarterAccrual: string;
    };

/** Money totals of a statement, each a sum of rounded lines (R-MNY-1). */
export interface StatementTotals {
  /** Σ amount per line kind (all lines, including invoiced ones). */
  byKind: Partial<Record<string, string>>;
  /** Allowance accrual after cancellations (ALLOWANCE_ACCRUAL + ACCRUAL_CANCELLED). */
  accrual: string;
  /** Σ parts charged to the allowance (negative). */
  parts: string;
  /** Σ return charges paid from the allowance (negative). */
  returns: string;
  /** Σ penalties (negative): complaints, violations, fake cards, missed-report streak. */
  penalties: string;
  /** Σ awards (R-AWD-1). */
  awards: string;
  /** Σ prior-period adjustments (R-SET-7). */
  adjustments: string;
  /** Σ dispute resolutions (R-DSP-2). */
  disputes: string;
  /** Σ lines that do not touch the balance (invoiced to the dealer), positive. */
  invoiced: string;
  /** Σ lines affecting the balance. */
  net: string;
}

export interface StatementOutcome {
  carriedForward: string;
  billedToDealer: string;
  payableToDealer: string;
  nextOpening: string;
}

export interface StatementResult {
  dealerCode: string;
  quarter: string;
  settlementMode: SettlementMode;
  openingBalance: string;
  /** Deterministically ordered, numbered from 1. */
  lines: StatementLine[];
  totals: StatementTotals;
  /** opening + Σ lines with affectsBalance. */
  closing: string;
  outcome: StatementOutcome;
  /** DOMAIN §9: the months of the quarter whose report due time had not passed (PENDING), ascending. */
  pendingMonths: string[];
}
