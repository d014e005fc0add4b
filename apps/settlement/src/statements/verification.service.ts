import { Injectable } from '@nestjs/common';
import { canonicalJson } from '@app/kernel';
import { StatementComputer } from './statement-computer';
import { CanonicalLine, canonicalLines, contentHash, resultHash } from './statement-rules';
import { StatementsRepository } from './statements.repository';
import { StatementNotComputable, StatementNotFrozen, statementNotFound } from './statements.problems';

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
    private readonly store: StatementsRepository,
    private readonly computer: StatementComputer,
  ) {}

  async verify(id: string): Promise<VerificationView> {
    const s = await this.store.findWithLines(id);
    if (!s) throw statementNotFound(id);
    if (s.status === 'DRAFT' || !s.approvedAt) throw new StatementNotFrozen();
    const asOf = new Date(s.approvedAt);
    const [outcome] = await this.computer.compute([s.dealerCode], s.quarter, { asOf });
    if ('error' in outcome) throw new StatementNotComputable(outcome.error);
    const r = outcome.result;
    // The opening is an input chained from the previous statement, not a fact: verify the quarter's own content.
    const recomputedLines = canonicalLines(r.lines);
    const recomputedHash = resultHash(r, recomputedLines);
    const storedLinesHash = contentHash({
      dealerCode: s.dealerCode,
      quarter: s.quarter,
      settlementMode: s.settlementMode,
      opening: s.opening,
      closing: s.closing,
      lines: s.lines,
    });
    const lines = compareLines(s.lines, recomputedLines);
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

/** Stored against recomputed, position by position. */
function compareLines(storedLines: CanonicalLine[], recomputedLines: CanonicalLine[]): VerificationLine[] {
  const n = Math.max(recomputedLines.length, storedLines.length);
  const lines: VerificationLine[] = [];
  for (let i = 0; i < n; i++) {
    const stored = storedLines[i] ?? null;
    const recomputed = recomputedLines[i] ?? null;
    lines.push({
      position: stored?.position ?? recomputed?.position ?? i + 1,
      stored,
      recomputed,
      matches: stored !== null && recomputed !== null && canonicalJson(stored) === canonicalJson(recomputed),
    });
  }
  return lines;
}
