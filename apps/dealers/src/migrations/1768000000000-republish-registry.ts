import { randomUUID } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';
import {
  AgreementTerms,
  AgreementVersionSet,
  DealerRegistered,
  DealerStatus,
  EventDefinition,
  producerOfTopic,
  Topics,
  validatePayload,
} from '@app/contracts';
import { buildEnvelope, EnvelopeContext, insertOutboxRows, outboxChannel } from '@app/messaging';

interface DealerRow {
  code: string;
  name: string;
  region: string | null;
  status: DealerStatus;
}

interface AgreementRow {
  dealer_code: string;
  version: number;
  effective_from: string;
  terms: AgreementTerms;
}

/**
 * DealerRegistered and AgreementVersionSet moved from `dealers.events.v1` to a topic of their
 * own, `dealers.registry.v1`. What was published before went to the old topic; this enqueues the
 * whole registry on the new one, so a consumer reading it from its beginning has every dealer
 * (its current state) and every stored agreement version. Consumers apply them as idempotent
 * upserts (libs/dealer-directory), so a state they already hold changes nothing.
 *
 * The rows are the ones `OutboxService.enqueue` writes (same envelope, key and headers; one
 * correlation id for the whole republish, no causation, `occurredAt` now: the state as of now),
 * per dealer its registration first and then its versions in order, all in one partition. The
 * relay numbers and sends them once the service runs. No dealers: nothing is written.
 *
 * Run it with no instance of the previous version still serving: one that registered a dealer
 * afterwards would publish it on the old topic only.
 */
export class RepublishRegistry1768000000000 implements MigrationInterface {
  name = 'RepublishRegistry1768000000000';

  async up(q: QueryRunner): Promise<void> {
    const dealers: DealerRow[] = await q.query(`SELECT code, name, region, status FROM dealers ORDER BY code`);
    if (dealers.length === 0) return;
    const agreements: AgreementRow[] = await q.query(
      `SELECT dealer_code, version, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, terms
       FROM agreements ORDER BY dealer_code, version`,
    );
    const versionsOf = new Map<string, AgreementRow[]>();
    for (const a of agreements) {
      const list = versionsOf.get(a.dealer_code) ?? [];
      list.push(a);
      versionsOf.set(a.dealer_code, list);
    }
    const context: EnvelopeContext = {
      producer: producerOfTopic(Topics.dealerRegistry),
      correlationId: randomUUID(),
      causationId: null,
      occurredAt: new Date().toISOString(),
    };
    const invalid: string[] = [];
    const rows = dealers
      .flatMap((d) => [
        {
          code: d.code,
          definition: DealerRegistered,
          payload: { code: d.code, name: d.name, region: d.region, status: d.status },
        },
        ...(versionsOf.get(d.code) ?? []).map((a) => ({
          code: d.code,
          definition: AgreementVersionSet as EventDefinition<unknown>,
          payload: { dealerCode: a.dealer_code, version: a.version, effectiveFrom: a.effective_from, terms: a.terms },
        })),
      ])
      .map(({ code, definition, payload }) => {
        // Consumers dead-letter what fails the contract: find it here, before anything is sent.
        const check = validatePayload(definition as EventDefinition<unknown>, payload);
        if (!check.ok) invalid.push(`${code}: ${check.reason}`);
        const envelope = buildEnvelope({ definition, dealerCode: code, payload }, context);
        return { topic: definition.topic, envelope };
      });
    if (invalid.length) {
      throw new Error(`RepublishRegistry: stored rows that do not make valid events:\n${invalid.join('\n')}`);
    }
    await insertOutboxRows(q, rows);
    await q.query(`SELECT pg_notify($1, '')`, [outboxChannel(context.producer)]);
  }

  /** Events once enqueued may already be published: nothing to undo. */
  async down(): Promise<void> {}
}
