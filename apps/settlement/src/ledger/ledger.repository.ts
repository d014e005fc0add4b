import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { formatMoney } from '@app/kernel';
import type { LedgerLine } from '../statements/statement-rules';

export interface LedgerEntryView {
  id: string;
  statementId: string;
  dealerCode: string;
  quarter: string;
  account: string;
  debit: string;
  credit: string;
  memo: string;
  postedAt: string;
  /** Σ (debit − credit) of the entry's account up to and including this entry, in posting order. */
  runningBalance: string;
}

/** The append-only ledger (R-SET-8): written when a statement is posted, read by auditors. */
@Injectable()
export class LedgerRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The postings of one statement, in their order. */
  async append(
    em: EntityManager,
    s: { id: string; dealerCode: string; quarter: string },
    entries: readonly LedgerLine[],
    postedAt: Date,
  ): Promise<void> {
    if (entries.length === 0) return;
    await em.query(
      `INSERT INTO ledger_entries (statement_id, dealer_code, quarter, account, debit, credit, memo, posted_at)
       SELECT $1, $2, $3, u.account, u.debit, u.credit, u.memo, $4 FROM unnest($5::text[], $6::numeric[], $7::numeric[], $8::text[]) WITH ORDINALITY AS u(account, debit, credit, memo, n)
       ORDER BY u.n`,
      [
        s.id,
        s.dealerCode,
        s.quarter,
        postedAt,
        entries.map((e) => e.account),
        entries.map((e) => e.debit),
        entries.map((e) => e.credit),
        entries.map((e) => e.memo),
      ],
    );
  }

  /**
   * Newest posting first (id descending), after the entry `after`; with `asOf`, only the entries
   * posted by then (entries are appended in posting order, so each running balance is as it stood then).
   */
  async list(
    filter: { dealer?: string; quarter?: string; account?: string; asOf?: Date },
    after: string | undefined,
    limit: number,
  ): Promise<LedgerEntryView[]> {
    const rows: Array<Record<string, any>> = await this.db.query(
      `SELECT e.*, (SELECT sum(r.debit - r.credit) FROM ledger_entries r WHERE r.account = e.account AND r.id <= e.id) AS running
       FROM ledger_entries e
       WHERE ($1::text IS NULL OR e.dealer_code = $1) AND ($2::text IS NULL OR e.quarter = $2) AND ($3::text IS NULL OR e.account = $3)
         AND ($4::bigint IS NULL OR e.id < $4) AND ($6::timestamptz IS NULL OR e.posted_at <= $6) ORDER BY e.id DESC LIMIT $5`,
      [
        filter.dealer ?? null,
        filter.quarter ?? null,
        filter.account ?? null,
        after ?? null,
        limit + 1,
        filter.asOf ?? null,
      ],
    );
    return rows.map((r) => ({
      id: String(r.id),
      statementId: r.statement_id,
      dealerCode: r.dealer_code,
      quarter: r.quarter.trim(),
      account: r.account,
      debit: r.debit,
      credit: r.credit,
      memo: r.memo,
      postedAt: new Date(r.posted_at).toISOString(),
      runningBalance: formatMoney(r.running),
    }));
  }
}
