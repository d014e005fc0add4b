import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AgreementVersionSet, DealerRegistered } from '@app/contracts';
import { MessagingService } from '@app/messaging';
import { KnownAgreement, KnownDealer } from './dealer-directory.entities';
import { AgreementVersionFacts, termsInForce } from './terms-in-force';

/** Keeps the dealer and agreement projection current from the dealers service's events. */
@Injectable()
export class DealerDirectoryService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly messaging: MessagingService,
  ) {}

  /**
   * Both handlers are idempotent upserts of a stated state, whatever its eventId: the dealers
   * service republishes the whole registry on its topic (the RepublishRegistry migration) while
   * the first events stay on the dealers topic, so one state can arrive more than once, and in
   * any order across the two topics. The same content again changes nothing but the time it was
   * last stated (the row keeps the event it came from); a statement older than the one applied
   * is passed over. An agreement version only ever touches its own row, so an older version
   * republished leaves newer versions as they are.
   */
  onModuleInit(): void {
    this.messaging.handle(DealerRegistered, async (event, em) => {
      const p = event.payload;
      await em.query(
        `INSERT INTO known_dealers AS k (code, name, region, status, source_event_id, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, region = EXCLUDED.region, status = EXCLUDED.status,
           occurred_at = EXCLUDED.occurred_at,
           source_event_id = CASE WHEN (k.name, k.region, k.status) IS NOT DISTINCT FROM (EXCLUDED.name, EXCLUDED.region, EXCLUDED.status)
             THEN k.source_event_id ELSE EXCLUDED.source_event_id END
         WHERE k.occurred_at IS NULL OR k.occurred_at <= EXCLUDED.occurred_at`,
        [p.code, p.name, p.region ?? null, p.status, event.eventId, event.occurredAt],
      );
    });
    this.messaging.handle(AgreementVersionSet, async (event, em) => {
      const p = event.payload;
      await em.query(
        `INSERT INTO known_agreements AS k (dealer_code, version, effective_from, terms, source_event_id, occurred_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (dealer_code, version) DO UPDATE SET effective_from = EXCLUDED.effective_from, terms = EXCLUDED.terms,
           occurred_at = EXCLUDED.occurred_at,
           source_event_id = CASE WHEN (k.effective_from, k.terms) IS NOT DISTINCT FROM (EXCLUDED.effective_from, EXCLUDED.terms)
             THEN k.source_event_id ELSE EXCLUDED.source_event_id END
         WHERE k.occurred_at IS NULL OR k.occurred_at <= EXCLUDED.occurred_at`,
        [p.dealerCode, p.version, p.effectiveFrom, JSON.stringify(p.terms), event.eventId, event.occurredAt],
      );
    });
  }

  findDealer(code: string, em: EntityManager = this.db.manager): Promise<KnownDealer | null> {
    return em.findOneBy(KnownDealer, { code });
  }

  /** The names of the dealers known here, by code (codes not known are left out). */
  async dealerNames(codes: readonly string[], em: EntityManager = this.db.manager): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await em.findBy(KnownDealer, { code: In([...new Set(codes)]) });
    return new Map(rows.map((r) => [r.code, r.name]));
  }

  async agreementVersions(dealerCode: string, em: EntityManager = this.db.manager): Promise<AgreementVersionFacts[]> {
    const rows = await em.find(KnownAgreement, {
      where: { dealerCode },
      order: { effectiveFrom: 'ASC', version: 'ASC' },
    });
    return rows.map((r) => ({ version: r.version, effectiveFrom: r.effectiveFrom, terms: r.terms }));
  }

  async termsForMonth(
    dealerCode: string,
    month: string,
    em?: EntityManager,
  ): Promise<AgreementVersionFacts | undefined> {
    return termsInForce(await this.agreementVersions(dealerCode, em), month);
  }
}
