/** One explained line of a tally or statement (R-SET-9): rule, quantity, rate or base and percent, amount, sources. */
export interface StatementLine {
  ruleId: string;
  kind: StatementLineKind;
  /** The month (YYYY-MM) or quarter the line belongs to. */
  period: string;
  description: string;
  quantity: number | null;
  rate: string | null;
  base: string | null;
  percent: string | null;
  /** Signed, two places, rounded once (R-MNY-1). */
  amount: string;
  sources: Record<string, unknown>;
}

export type StatementLineKind =
  | 'ALLOWANCE_ACCRUAL'
  | 'ALLOWANCE_NOT_ACCRUED';
