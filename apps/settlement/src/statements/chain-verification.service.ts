import { Injectable } from '@nestjs/common';
import { ChainFailure, checkChain, StoredLink } from './statement-chain';
import { LinkRow, StatementChainRepository } from './statement-chain.repository';
import { contentHash } from './statement-rules';
import { StatementsRepository } from './statements.repository';

export interface ChainFailureView {
  sequence: number;
  statementId: string | null;
  reason: ChainFailure;
  detail: string;
}

export interface ChainVerificationView {
  from: string | null;
  to: string | null;
  matches: boolean;
  /** Links recomputed and found matching before the first failure (all of them when it matches). */
  checked: number;
  firstSequence: number | null;
  lastSequence: number | null;
  /** The chain hash of the last link of the range that matched. */
  head: string | null;
  firstFailure: ChainFailureView | null;
}

const BATCH = 500;

/**
 * Recomputes the chain of posted statements over the links posted in [from, to): each statement's
 * content hash from its stored lines and figures, each link's hash from the statement and the
 * previous link, and names the first that does not match.
 */
@Injectable()
export class ChainVerificationService {
  constructor(
    private readonly chain: StatementChainRepository,
    private readonly store: StatementsRepository,
  ) {}

  async verify(from: Date | undefined, to: Date | undefined): Promise<ChainVerificationView> {
    const base = { from: from?.toISOString() ?? null, to: to?.toISOString() ?? null };
    const range = await this.chain.sequenceRange(from, to);
    const unchained = async (checked: number, head: string | null): Promise<ChainVerificationView> => {
      const [missing] = await this.chain.unchained(from, to);
      const failure: ChainFailureView | null = missing
        ? { sequence: 0, statementId: missing.id, reason: 'MISSING', detail: 'a POSTED statement without a link' }
        : null;
      return {
        ...base,
        matches: !failure,
        checked,
        firstSequence: range?.first ?? null,
        lastSequence: range?.last ?? null,
        head,
        firstFailure: failure,
      };
    };
    if (!range) return unchained(0, null);
    let prev = await this.chain.hashAt(range.first - 1);
    let checked = 0;
    let head: string | null = null;
    for (let next = range.first; next <= range.last;) {
      const links = await this.storedLinks(await this.chain.links(next, range.last, BATCH));
      const result = checkChain(links, prev, next);
      checked += result.checked;
      if (result.firstFailure)
        return {
          ...base,
          matches: false,
          checked,
          firstSequence: range.first,
          lastSequence: range.last,
          head,
          firstFailure: result.firstFailure,
        };
      if (links.length === 0) break;
      head = prev = links[links.length - 1].chainHash;
      next = links[links.length - 1].sequence + 1;
    }
    return unchained(checked, head);
  }

  /** The links with each statement's content hash recomputed from its stored lines. */
  private async storedLinks(rows: LinkRow[]): Promise<StoredLink[]> {
    const ids = rows.flatMap((r) => (r.statement ? [r.statement.id] : []));
    const lines = ids.length ? await this.store.linesOf(ids) : new Map();
    return rows.map((r) => {
      const s = r.statement;
      if (!s) return { ...r, statement: null, recomputedContentHash: null };
      return {
        sequence: r.sequence,
        prevHash: r.prevHash,
        chainHash: r.chainHash,
        statement: {
          statementId: s.id,
          dealerCode: s.dealerCode,
          quarter: s.quarter,
          contentHash: s.contentHash,
          postedAt: s.postedAt as string,
        },
        recomputedContentHash: contentHash({ ...s, lines: lines.get(s.id) ?? [] }),
      };
    });
  }
}
