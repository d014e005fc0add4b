import { canonicalJson, sha256Hex } from '@app/kernel';

/** The tamper-evident chain of posted statements: pure hashing and checking, no database. */

/** The previous hash of the first link. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a link of the chain hashes besides its sequence and the previous hash. */
export interface ChainedStatement {
  statementId: string;
  dealerCode: string;
  quarter: string;
  contentHash: string;
  /** ISO instant, milliseconds, UTC (Date.toISOString). */
  postedAt: string;
}

export interface ChainLink {
  sequence: number;
  prevHash: string;
  chainHash: string;
}

/** SHA-256 of the canonical JSON of {sequence, statementId, dealerCode, quarter, contentHash, postedAt, prevHash}. */
export function chainHashOf(s: ChainedStatement, sequence: number, prevHash: string): string {
  return sha256Hex(
    canonicalJson({
      sequence,
      statementId: s.statementId,
      dealerCode: s.dealerCode,
      quarter: s.quarter,
      contentHash: s.contentHash,
      postedAt: s.postedAt,
      prevHash,
    }),
  );
}

/** The link of `s` placed after the link whose hash is `prevHash`. */
export function chainLink(s: ChainedStatement, sequence: number, prevHash: string): ChainLink {
  return { sequence, prevHash, chainHash: chainHashOf(s, sequence, prevHash) };
}

export type ChainFailure = 'CONTENT_CHANGED' | 'LINK_BROKEN' | 'MISSING';

/** One stored link with the statement as it is stored now and its content hash recomputed from its lines. */
export interface StoredLink extends ChainLink {
  statement: ChainedStatement | null;
  /** The content hash of the statement's stored lines and totals, recomputed now. */
  recomputedContentHash: string | null;
}

export interface ChainCheck {
  checked: number;
  firstFailure: { sequence: number; statementId: string | null; reason: ChainFailure; detail: string } | null;
}

/**
 * Walks the links in sequence order from the link before the first (`prevHash` of the first,
 * GENESIS_HASH at sequence 1): a gap in the sequence or a vanished statement is MISSING, a
 * statement whose lines no longer give its content hash is CONTENT_CHANGED, a link whose hash
 * does not follow is LINK_BROKEN. The first failure is named.
 */
export function checkChain(
  links: readonly StoredLink[],
  expectedPrev: string | null,
  firstSequence: number,
): ChainCheck {
  let prev = expectedPrev;
  let expected = firstSequence;
  for (const [i, link] of links.entries()) {
    const fail = (reason: ChainFailure, detail: string): ChainCheck => ({
      checked: i,
      firstFailure: { sequence: link.sequence, statementId: link.statement?.statementId ?? null, reason, detail },
    });
    if (link.sequence !== expected)
      return {
        checked: i,
        firstFailure: {
          sequence: expected,
          statementId: null,
          reason: 'MISSING',
          detail: 'no link with this sequence',
        },
      };
    if (!link.statement) return fail('MISSING', 'the chained statement is no longer stored as POSTED');
    if (link.recomputedContentHash !== link.statement.contentHash)
      return fail('CONTENT_CHANGED', 'its stored lines and totals no longer give its content hash');
    if (prev !== null && link.prevHash !== prev) return fail('LINK_BROKEN', 'prevHash is not the previous chainHash');
    if (chainHashOf(link.statement, link.sequence, link.prevHash) !== link.chainHash)
      return fail('LINK_BROKEN', 'chainHash does not match the statement and prevHash');
    prev = link.chainHash;
    expected += 1;
  }
  return { checked: links.length, firstFailure: null };
}
