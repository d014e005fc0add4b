import { Injectable } from '@nestjs/common';
import {
  chainedEntryOfRow,
  ChainMismatch,
  ChainPosition,
  checkChainedEntry,
  GENESIS_POSITION,
  StoredAuditRow,
} from './audit-chain';
import { AuditChainRepository, PublishedDay } from './audit-chain.repository';

/** Entries read per query while verifying or exporting: a big log is never in memory at once. */
export const CHAIN_PAGE = 1000;

export interface ChainRange {
  /** Inclusive lower bound on occurredAt. */
  from?: Date;
  /** Exclusive upper bound on occurredAt. */
  to?: Date;
  /** Inclusive lower bound on id. */
  fromId?: string;
  /** Inclusive upper bound on id. */
  toId?: string;
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstId: string | null;
  lastId: string | null;
  /** The hash of the last entry checked (of the entry before the range when none was). */
  headHash: string;
  mismatch: (ChainMismatch & { day?: string }) | null;
}

const maxId = (a: string, b: string) => (BigInt(a) > BigInt(b) ? a : b);
const minId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? a : b);

/** Recomputes the audit log's hash chain over a range and streams an exported segment. */
@Injectable()
export class AuditChainService {
  constructor(private readonly chain: AuditChainRepository) {}

  /** The id bounds [lo, hi] of a range (hi < lo: empty); the head is the upper limit. */
  async bounds(range: ChainRange): Promise<{ lo: string; hi: string; head: ChainPosition }> {
    const head = await this.chain.head();
    let lo = range.fromId ?? '1';
    let hi = range.toId ? minId(range.toId, head.id) : head.id;
    if (range.from) lo = maxId(lo, (await this.chain.firstIdFrom(range.from)) ?? (BigInt(head.id) + 1n).toString());
    if (range.to) hi = minId(hi, (await this.chain.lastIdBefore(range.to)) ?? '0');
    return { lo, hi, head };
  }

  async verify(range: ChainRange): Promise<ChainVerification> {
    const { lo, hi, head } = await this.bounds(range);
    const before = BigInt(hi) < BigInt(lo) ? GENESIS_POSITION : await this.chain.positionBefore(lo);
    const published = new Map(
      (BigInt(hi) < BigInt(lo) ? [] : await this.chain.publishedDaysBetween(lo, hi)).map((d) => [d.lastId, d]),
    );
    const result: ChainVerification = {
      ok: true,
      checked: 0,
      firstId: null,
      lastId: null,
      headHash: before.hash,
      mismatch: null,
    };
    let position = before;
    for await (const row of this.rows(lo, hi)) {
      const entry = chainedEntryOfRow(row);
      const mismatch = checkChainedEntry(position, entry) ?? publishedHeadMismatch(published.get(entry.id), entry);
      result.checked += 1;
      result.firstId ??= entry.id;
      result.lastId = entry.id;
      if (mismatch) return { ...result, ok: false, headHash: entry.hash, mismatch };
      position = { id: entry.id, hash: entry.hash };
      result.headHash = entry.hash;
    }
    const tail = hi === head.id && BigInt(lo) <= BigInt(hi) ? tailMismatch(position, head) : null;
    return tail ? { ...result, ok: false, mismatch: tail } : result;
  }

  /** The stored rows of [lo, hi] in id order, a page at a time. */
  async *rows(lo: string, hi: string): AsyncGenerator<StoredAuditRow> {
    let after = (BigInt(lo) - 1n).toString();
    for (;;) {
      const page = await this.chain.page(after, hi, CHAIN_PAGE);
      for (const row of page) yield row;
      if (page.length < CHAIN_PAGE) return;
      after = String(page[page.length - 1].id);
    }
  }
}

/** A daily head published earlier that the entry's hash no longer equals. */
function publishedHeadMismatch(
  day: PublishedDay | undefined,
  entry: { id: string; hash: string },
): (ChainMismatch & { day: string }) | null {
  if (!day || day.headHash === entry.hash) return null;
  return {
    id: entry.id,
    reason: 'PUBLISHED_HEAD_DIFFERS',
    expectedHash: day.headHash,
    storedHash: entry.hash,
    day: day.day,
  };
}

/** The last entries deleted: the chain head names an entry the log no longer holds. */
function tailMismatch(last: ChainPosition, head: ChainPosition): ChainMismatch | null {
  if (last.id === head.id && last.hash === head.hash) return null;
  if (last.id !== head.id) {
    return {
      id: (BigInt(last.id) + 1n).toString(),
      reason: 'ENTRY_MISSING',
      expectedHash: head.hash,
      storedHash: last.hash,
    };
  }
  return { id: head.id, reason: 'LINK_BROKEN', expectedHash: head.hash, storedHash: last.hash };
}
