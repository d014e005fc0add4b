import { addQuarters, canonicalJson, dec, formatMoney, quarterOfDate, shanghaiDate } from '@app/kernel';
import { fieldError } from '@app/platform/problem/field-error';
import type { ProblemFieldError } from '@app/platform/problem/problem-types';
import type { CanonicalLine } from '../statements/statement-rules';

/** At most this many quarters in one simulation. */
export const MAX_SIMULATED_QUARTERS = 8;

/** A line whose amount (or quantity, rate, base, percent) differs between the actual statement and the simulation. */
export interface ChangedLine {
  ruleId: string;
  kind: string;
  period: string;
  description: string;
  /** null: the line is not in the actual statement. */
  actualAmount: string | null;
  /** null: the simulation has no such line. */
  simulatedAmount: string | null;
  /** simulated − actual (a missing side counts 0.00). */
  difference: string;
}

/** The quarter of an instant, by the calendar in Asia/Shanghai. */
export function quarterAt(instant: Date): string {
  return quarterOfDate(shanghaiDate(instant));
}

/** The quarters from `from` to `to`, both included, ascending. */
export function quartersBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let q = from; q <= to && out.length <= MAX_SIMULATED_QUARTERS; q = addQuarters(q, 1)) out.push(q);
  return out;
}

/** The quarter range of a simulation: from ≤ to, no quarter after the current one, at most MAX_SIMULATED_QUARTERS. */
export function quarterRangeErrors(from: string, to: string, current: string): ProblemFieldError[] {
  const errors: ProblemFieldError[] = [];
  if (to > current)
    errors.push(fieldError('toQuarter', 'pastQuarters', 'validation.fields.simulationFutureQuarter', { current }));
  if (from > to) errors.push(fieldError('fromQuarter', 'quarterOrder', 'validation.fields.simulationQuarterOrder'));
  else if (quartersBetween(from, to).length > MAX_SIMULATED_QUARTERS)
    errors.push(
      fieldError('toQuarter', 'maxQuarters', 'validation.fields.simulationTooManyQuarters', {
        max: MAX_SIMULATED_QUARTERS,
      }),
    );
  return errors;
}

const keyOf = (l: CanonicalLine): string => canonicalJson([l.ruleId, l.kind, l.period, l.sources]);

/** The lines keyed by rule, kind, period and sources (the n-th of equal keys apart). */
function keyed(lines: readonly CanonicalLine[]): Map<string, CanonicalLine> {
  const out = new Map<string, CanonicalLine>();
  const seen = new Map<string, number>();
  for (const l of lines) {
    const k = keyOf(l);
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    out.set(`${k}#${n}`, l);
  }
  return out;
}

const sameFigures = (a: CanonicalLine, b: CanonicalLine): boolean =>
  dec(a.amount).eq(dec(b.amount)) &&
  a.quantity === b.quantity &&
  a.rate === b.rate &&
  a.base === b.base &&
  a.percent === b.percent &&
  a.affectsBalance === b.affectsBalance;

/**
 * The lines that changed between the actual statement and the simulation: a line is the same line
 * when its rule, kind, period and sources (the facts behind it) are; it changed when its figures
 * differ or it is on one side only. In the simulation's order, then the lines only the actual has.
 */
export function changedLines(actual: readonly CanonicalLine[], simulated: readonly CanonicalLine[]): ChangedLine[] {
  const before = keyed(actual);
  const after = keyed(simulated);
  const out: ChangedLine[] = [];
  const change = (a: CanonicalLine | undefined, s: CanonicalLine | undefined): ChangedLine => {
    const line = (s ?? a)!;
    return {
      ruleId: line.ruleId,
      kind: line.kind,
      period: line.period,
      description: line.description,
      actualAmount: a ? formatMoney(a.amount) : null,
      simulatedAmount: s ? formatMoney(s.amount) : null,
      difference: formatMoney(dec(s?.amount ?? '0').minus(a?.amount ?? '0')),
    };
  };
  for (const [k, s] of after) {
    const a = before.get(k);
    if (!a || !sameFigures(a, s)) out.push(change(a, s));
  }
  for (const [k, a] of before) if (!after.has(k)) out.push(change(a, undefined));
  return out;
}

/** simulated − actual, or null when there is no actual statement. */
export function closingDifference(actual: string | null, simulated: string): string | null {
  return actual === null ? null : formatMoney(dec(simulated).minus(actual));
}
