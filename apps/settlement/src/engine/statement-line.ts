/**
 * One explained line of a tally or statement (R-SET-9): rule, quantity, rate or base and percent,
 * amount, sources. The engine numbers its lines (`lineNo`); a stored line is the same shape with its
 * `position` (statements/statement-rules.ts `CanonicalLine`).
 */
export interface StatementLine<K extends string = StatementLineKind> {
  /** 1-based position in the deterministic order of the statement (set by computeStatement). */
  lineNo?: number;
  ruleId: string;
  kind: K;
  /** The month (YYYY-MM) or quarter (YYYY-Qn) the line belongs to. */
  period: string;
  description: string;
  quantity: number | null;
  /** Rate per unit (4 places) when quantity × rate. */
  rate: string | null;
  /** Base amount (2 places) when base × percent. */
  base: string | null;
  /** Percent (4 places) when base × percent. */
  percent: string | null;
  /** Signed, two places, rounded once (R-MNY-1). Invoiced items carry the positive amount invoiced. */
  amount: string;
  /** False for items invoiced to the dealer (urgent freight, old parts, INVOICE parts) and for informational lines. */
  affectsBalance?: boolean;
  sources: Record<string, unknown>;
}

export const STATEMENT_LINE_KINDS = [
  'ALLOWANCE_ACCRUAL',
  'ALLOWANCE_NOT_ACCRUED',
  'CARDS_EXCLUDED',
  'ACCRUAL_CANCELLED',
  'FAKE_CARD_PENALTY',
  'PARTS_CHARGE',
  'PARTS_FREE',
  'PARTS_INVOICED',
  'URGENT_FREIGHT_INVOICED',
  'OLD_PARTS_INVOICED',
  'RETURN_CHARGE',
  'COMPLAINT_PENALTY',
  'VIOLATION_PENALTY',
  'MISSED_REPORT_PENALTY',
  'EXCELLENCE_AWARD',
  'PRIOR_PERIOD_ADJUSTMENT',
  'DISPUTE_RESOLUTION',
] as const;

export type StatementLineKind = (typeof STATEMENT_LINE_KINDS)[number];
