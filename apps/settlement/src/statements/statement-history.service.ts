import { Injectable } from '@nestjs/common';
import { assertDealerAccess, Principal } from '@app/platform';
import { StatementChainRepository } from './statement-chain.repository';
import { StatementsRepository, StatementWithLines } from './statements.repository';
import { statementNotFound, statementNotYetAt } from './statements.problems';

/** A statement as it stood at an instant (an "as of" read). */
export interface StatementAsOf extends StatementWithLines {
  asOf: string;
  linesAsOf: boolean;
}

const by = (at: string | null, asOf: Date): boolean => at !== null && new Date(at).getTime() <= asOf.getTime();

/**
 * Reads a statement as it stood at an instant from its history (every change of status or content
 * with the instant the application recorded): its status, figures and hash of then, the approval
 * and posting only once they had happened, its lines while they are still the ones of then.
 */
@Injectable()
export class StatementHistoryService {
  constructor(
    private readonly store: StatementsRepository,
    private readonly history: StatementChainRepository,
  ) {}

  async asOf(id: string, asOf: Date, principal: Principal): Promise<StatementAsOf> {
    const s = await this.store.findWithLines(id);
    if (!s) throw statementNotFound(id);
    assertDealerAccess(principal, s.dealerCode);
    const then = await this.history.historyAt(id, asOf);
    if (!then) throw statementNotYetAt(id, asOf);
    const approved = by(s.approvedAt, asOf);
    const posted = by(s.postedAt, asOf);
    const sameContent = then.contentHash === s.contentHash;
    const draftThen = then.status === 'DRAFT';
    return {
      ...s,
      status: then.status,
      contentHash: then.contentHash,
      opening: then.opening,
      closing: then.closing,
      totals: then.totals,
      outcome: then.outcome,
      computedBy: draftThen ? then.by : s.computedBy,
      computedAt: draftThen ? then.at : s.computedAt,
      computedByRun: draftThen && !sameContent ? null : s.computedByRun,
      approvedBy: approved ? s.approvedBy : null,
      approvedAt: approved ? s.approvedAt : null,
      postedBy: posted ? s.postedBy : null,
      postedAt: posted ? s.postedAt : null,
      pendingMonths: draftThen && sameContent ? s.pendingMonths : [],
      chain: posted ? s.chain : null,
      lines: sameContent ? s.lines : [],
      asOf: asOf.toISOString(),
      linesAsOf: sameContent,
    };
  }
}
