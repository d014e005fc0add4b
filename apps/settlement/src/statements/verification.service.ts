import { Injectable } from '@nestjs/common';
import { canonicalJson } from '@app/kernel';
import { notFoundProblem, ProblemException } from '@app/platform';
import { StatementComputer } from './statement-computer';
import { CanonicalLine, canonicalLines, contentHash } from './statement-rules';
import { StatementStore } from './statement-store';

export interface VerificationLine {
  position: number;
  stored: CanonicalLine | null;
  recomputed: CanonicalLine | null;
  matches: boolean;
}

export interface VerificationView {
  statementId: string;
  dealerCode: string;
  quarter: string;
  status: string;
  /** Facts received up to this instant were used (the statement's approval). */
  factsAsOf: string;
  matches: boolean;
  /** The hash stored when the statement was computed. */
  storedHash: string;
  /** The hash of the stored lines as they are in the database now. */
  storedLinesHash: string;
  recomputedHash: string;
  closing: { stored: string; recomputed: string };
  lines: VerificationLine[];
}

/**
 * R-SET-9: recomputes an approved or posted statement from the stored facts as they were at its
 * approval (facts received later are R-SET-7 adjustments elsewhere) and compares it line by line.
 */
@Injectable()
export class VerificationService {
  constructor(
    private readonly store: StatementStore,
    private readonly computer: StatementComputer,
  ) {}

  async verify(id: string): Promise<VerificationView> {
    const s = await this.store.findWithLines(id);
    if (!s) throw notFoundProblem(`Statement ${id} was not found.`);
    if (s.status === 'DRAFT' || !s.approvedAt) {
      throw new ProblemException({
        status: 409,
        type: 'statement-not-frozen',
        code: 'STATEMENT_NOT_FROZEN',
        detail: 'Only an approved or posted statement can be verified; a draft is recomputed by a run.',
      });
    }
    const asOf = new Date(s.approvedAt);
    const [outcome] = await this.computer.compute([s.dealerCode], s.quarter, { asOf });
    if ('error' in outcome)
      throw new ProblemException({
        status: 409,
        type: 'statement-not-computable',
        code: 'STATEMENT_NOT_COMPUTABLE',
        detail: outcome.error,
      });
    const r = outcome.result;
    // The opening is an input chained from the previous statement, not a fact: verify the quarter's own content.
    const recomputedLines = canonicalLines(r.lines);
    const recomputedHash = contentHash({
      dealerCode: r.dealerCode,
      quarter: r.quarter,
      settlementMode: r.settlementMode,
      opening: r.openingBalance,
      closing: r.closing,
      lines: recomputedLines,
    });
    const storedLinesHash = contentHash({
      dealerCode: s.dealerCode,
      quarter: s.quarter,
      settlementMode: s.settlementMode,
      opening: s.opening,
      closing: s.closing,
      lines: s.lines,
    });
    const n = Math.max(recomputedLines.length, s.lines.length);
    const lines: VerificationLine[] = [];
    for (let i = 0; i < n; i++) {
      const stored = s.lines[i] ?? null;
      const recomputed = recomputedLines[i] ?? null;
      lines.push({
        position: stored?.position ?? recomputed?.position ?? i + 1,
        stored,
        recomputed,
        matches: stored !== null && recomputed !== null && canonicalJson(stored) === canonicalJson(recomputed),
      });
    }
    return {
      statementId: s.id,
      dealerCode: s.dealerCode,
      quarter: s.quarter,
      status: s.status,
      factsAsOf: asOf.toISOString(),
      matches: lines.every((l) => l.matches) && storedLinesHash === s.contentHash && recomputedHash === s.contentHash,
      storedHash: s.contentHash,
      storedLinesHash,
      recomputedHash,
      closing: { stored: s.closing, recomputed: r.closing },
      lines,
    };
  }
}
