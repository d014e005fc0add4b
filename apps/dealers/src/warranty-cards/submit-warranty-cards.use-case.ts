import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { WarrantyCardsAccepted } from '@app/contracts';
import { OutboxService } from '@app/messaging';
import { AuditLogService, Principal } from '@app/platform';
import { DealersService } from '../registry/dealers.service';
import { CardInput, evaluateCard } from './card-rules';
import { CardBatchResultView, CardResultView } from './warranty-card.dto';

interface Candidate {
  index: number;
  card: CardInput;
}

@Injectable()
export class SubmitWarrantyCardsUseCase {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dealers: DealersService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
  ) {}

  /**
   * R-CARD-1: each card is accepted or rejected on its own. Duplicates are decided by the
   * partial unique index at insert time, so two dealers sending the same serial at once
   * get exactly one acceptance. The batch, its accepted cards and its event commit together.
   */
  async execute(dealerCode: string, reportMonth: string, rawCards: Record<string, unknown>[], actor: Principal): Promise<CardBatchResultView> {
    await this.dealers.requireExisting(dealerCode);
    const batchId = randomUUID();
    const results: CardResultView[] = new Array(rawCards.length);
    const candidates: Candidate[] = [];
    const seenInBatch = new Set<string>();
    const ctx = { dealerCode, reportMonth, outlets: new Set([dealerCode]) };

    rawCards.forEach((raw, index) => {
      const verdict = evaluateCard(raw, ctx);
      const serial = typeof raw.serial === 'string' ? raw.serial.trim().toUpperCase() : null;
      if (!verdict.ok) {
        results[index] = { index, serial, status: 'REJECTED', code: verdict.code, field: verdict.field, reason: verdict.reason, flags: [] };
      } else if (seenInBatch.has(verdict.card.serial)) {
        results[index] = { index, serial, status: 'REJECTED', code: 'DUPLICATE_SERIAL', reason: 'the serial appears earlier in this batch', flags: [] };
      } else {
        seenInBatch.add(verdict.card.serial);
        candidates.push({ index, card: verdict.card });
      }
    });

    return this.db.transaction(async (em) => {
      const acceptedSerials = await this.insertAccepted(em, batchId, dealerCode, reportMonth, candidates);
      const accepted: Candidate[] = [];
      for (const c of candidates) {
        if (acceptedSerials.has(c.card.serial)) {
          accepted.push(c);
          results[c.index] = { index: c.index, serial: c.card.serial, status: 'ACCEPTED', flags: [] };
        } else {
          results[c.index] = { index: c.index, serial: c.card.serial, status: 'REJECTED', code: 'DUPLICATE_SERIAL', reason: 'the serial already has an accepted card', flags: [] };
        }
      }
      const rejected = results.length - accepted.length;
      await em.query(
        `INSERT INTO warranty_card_batches (id, dealer_code, report_month, submitted_by, accepted_count, rejected_count, results)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [batchId, dealerCode, reportMonth, actor.sub, accepted.length, rejected, JSON.stringify(results)],
      );
      if (accepted.length > 0) {
        await this.outbox.enqueue(em, [{
          definition: WarrantyCardsAccepted,
          dealerCode,
          payload: {
            dealerCode, reportMonth, batchId,
            cards: accepted.map(({ card }) => ({ serial: card.serial, model: card.model, saleDate: card.saleDate, outlet: card.outlet, flags: [] })),
          },
        }]);
      }
      await this.audit.record(em, {
        action: 'warranty-cards.submitted', entityType: 'warranty-card-batch', entityId: batchId, dealerCode,
        details: { reportMonth, accepted: accepted.length, rejected },
      });
      return { batchId, dealerCode, reportMonth, accepted: accepted.length, rejected, results };
    });
  }

  /** One round trip for the whole batch; returns the serials the database accepted. */
  private async insertAccepted(em: EntityManager, batchId: string, dealerCode: string, reportMonth: string, candidates: Candidate[]): Promise<Set<string>> {
    if (candidates.length === 0) return new Set();
    const col = <K extends keyof CardInput>(k: K) => candidates.map((c) => c.card[k]);
    const rows: Array<{ serial: string }> = await em.query(
      `INSERT INTO warranty_cards (batch_id, dealer_code, report_month, serial, model, sale_date, outlet, consumer_name, phone, address, status)
       SELECT $1, $2, $3, u.serial, u.model, u.sale_date, u.outlet, u.consumer_name, u.phone, u.address, 'ACCEPTED'
       FROM unnest($4::text[], $5::text[], $6::date[], $7::text[], $8::text[], $9::text[], $10::text[])
         AS u(serial, model, sale_date, outlet, consumer_name, phone, address)
       ON CONFLICT (serial) WHERE status = 'ACCEPTED' DO NOTHING
       RETURNING serial`,
      [batchId, dealerCode, reportMonth, col('serial'), col('model'), col('saleDate'), col('outlet'), col('consumerName'), col('phone'), col('address')],
    );
    return new Set(rows.map((r) => r.serial));
  }
}
