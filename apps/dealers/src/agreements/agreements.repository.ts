import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AgreementTerms } from '@app/contracts';
import { AgreementEntity } from './agreement.entity';

export type NewAgreementVersion = Pick<AgreementEntity, 'dealerCode' | 'effectiveFrom' | 'terms' | 'createdBy'>;

/** Agreement versions; the reports and the penalty inputs read the terms in force from here. */
@Injectable()
export class AgreementsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findVersionFrom(em: EntityManager, dealerCode: string, effectiveFrom: string): Promise<AgreementEntity | null> {
    return em.findOneBy(AgreementEntity, { dealerCode, effectiveFrom });
  }

  /** Stores the dealer's next version (the caller holds the dealer's lock, so numbers stay gapless). */
  async insertNextVersion(em: EntityManager, a: NewAgreementVersion): Promise<AgreementEntity> {
    const [{ next }] = await em.query(
      'SELECT COALESCE(MAX(version), 0) + 1 AS next FROM agreements WHERE dealer_code = $1',
      [a.dealerCode],
    );
    const saved = await em.save(AgreementEntity, em.create(AgreementEntity, { ...a, version: Number(next) }));
    return em.findOneByOrFail(AgreementEntity, { id: saved.id });
  }

  listOf(dealerCode: string): Promise<AgreementEntity[]> {
    return this.db.getRepository(AgreementEntity).find({ where: { dealerCode }, order: { effectiveFrom: 'ASC' } });
  }

  /** Each version's start and report due day, for the due day in force (R-AGR-1). */
  async dueDayVersions(
    dealerCode: string,
    em: EntityManager = this.db.manager,
  ): Promise<Array<{ effectiveFrom: string; reportDueDay: number | null }>> {
    const rows: Array<{ effective_from: string; report_due_day: number | null }> = await em.query(
      `SELECT effective_from::text AS effective_from, (terms->>'reportDueDay')::int AS report_due_day FROM agreements WHERE dealer_code = $1`,
      [dealerCode],
    );
    return rows.map((r) => ({ effectiveFrom: r.effective_from, reportDueDay: r.report_due_day }));
  }

  /** Each version's number, start and terms. */
  async termsVersions(
    dealerCode: string,
  ): Promise<Array<{ version: number; effectiveFrom: string; terms: AgreementTerms }>> {
    const rows: Array<{ version: number; effective_from: string; terms: AgreementTerms }> = await this.db.query(
      `SELECT version, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, terms FROM agreements WHERE dealer_code = $1`,
      [dealerCode],
    );
    return rows.map((r) => ({ version: r.version, effectiveFrom: r.effective_from, terms: r.terms }));
  }
}
