import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isCalendarDate } from '@app/kernel';
import {
  AuditLogService,
  notFoundProblem,
  preparedQuery,
  Principal,
  ProblemException,
  textArrayLiteral,
  validationProblem,
} from '@app/platform';
import { ProductModelsService } from '../product-models/product-models.service';
import { ImportShipmentDto, ShipmentImportView } from './shipment.dto';
import { ShipmentImportEntity } from './shipment.entity';
import { checkShipmentLines, modelsNamed, ShipmentLineProblem, shipmentContentHash } from './shipment-lines';

/** What the warranty-card rules need to know of one serial. */
export interface ShippedSerial {
  dealerCode: string;
  shippedOn: string;
}

function toView(s: ShipmentImportEntity): ShipmentImportView {
  return {
    reference: s.reference,
    dealerCode: s.dealerCode,
    shippedOn: s.shippedOn,
    received: s.received,
    registered: s.registered,
    rejected: s.rejected,
    problems: s.problems as ShipmentLineProblem[],
    importedAt: s.importedAt.toISOString(),
  };
}

/** Rows per INSERT … SELECT FROM unnest: large enough to be one round trip for most imports, small enough to keep parameters modest. */
const INSERT_CHUNK = 25_000;

@Injectable()
export class ShipmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly models: ProductModelsService,
    private readonly audit: AuditLogService,
  ) {}

  /**
   * Registers the serials of one shipment. Idempotent on `reference`: the same content again
   * gets the first answer, other content under the same reference a 409. A serial already in
   * the registry (from any shipment) is reported, not overwritten.
   */
  async import(dto: ImportShipmentDto, actor: Principal): Promise<ShipmentImportView> {
    if (!isCalendarDate(dto.shippedOn))
      throw validationProblem([
        { field: 'shippedOn', rule: 'calendarDate', message: 'shippedOn must be a calendar date YYYY-MM-DD' },
      ]);
    const hash = shipmentContentHash(dto.dealerCode, dto.shippedOn, dto.serials);
    const replay = await this.replay(this.db.manager, dto.reference, hash);
    if (replay) return replay;
    const dealer: unknown[] = await this.db.query('SELECT 1 FROM dealers WHERE code = $1', [dto.dealerCode]);
    if (dealer.length === 0) {
      throw new ProblemException({
        status: 422,
        type: 'unknown-dealer',
        code: 'UNKNOWN_DEALER',
        detail: `Dealer ${dto.dealerCode} is not registered.`,
        errors: [{ field: 'dealerCode', rule: 'exists', message: 'no such dealer' }],
      });
    }
    const known = await this.models.knownAmong(modelsNamed(dto.serials));
    const { lines, problems } = checkShipmentLines(dto.serials, known);

    return this.db.transaction(async (em) => {
      // Claim the reference first: a concurrent import of the same reference waits here and then replays.
      const claimed: unknown[] = await em.query(
        `INSERT INTO shipment_imports (reference, dealer_code, shipped_on, content_hash, received, registered, rejected, problems, imported_by)
         VALUES ($1, $2, $3, $4, $5, 0, 0, '[]', $6) ON CONFLICT (reference) DO NOTHING RETURNING reference`,
        [dto.reference, dto.dealerCode, dto.shippedOn, hash, dto.serials.length, actor.sub],
      );
      if (claimed.length === 0) {
        const answer = await this.replay(em, dto.reference, hash);
        if (answer) return answer;
      }
      const registered = new Set<string>();
      for (let i = 0; i < lines.length; i += INSERT_CHUNK) {
        const chunk = lines.slice(i, i + INSERT_CHUNK);
        const rows: Array<{ serial: string }> = await em.query(
          `INSERT INTO shipped_serials (serial, model, dealer_code, shipped_on, reference)
           SELECT u.serial, u.model, $3, $4, $5 FROM unnest($1::text[], $2::text[]) AS u(serial, model)
           ON CONFLICT (serial) DO NOTHING RETURNING serial`,
          [chunk.map((l) => l.serial), chunk.map((l) => l.model), dto.dealerCode, dto.shippedOn, dto.reference],
        );
        for (const r of rows) registered.add(r.serial);
      }
      for (const l of lines) {
        if (!registered.has(l.serial))
          problems.push({
            line: l.line,
            serial: l.serial,
            code: 'ALREADY_REGISTERED',
            message: `serial ${l.serial} is already in the shipment registry`,
          });
      }
      problems.sort((a, b) => a.line - b.line);
      await em.query(`UPDATE shipment_imports SET registered = $2, rejected = $3, problems = $4 WHERE reference = $1`, [
        dto.reference,
        registered.size,
        problems.length,
        JSON.stringify(problems),
      ]);
      await this.audit.record(em, {
        action: 'shipment.imported',
        entityType: 'shipment',
        entityId: dto.reference,
        dealerCode: dto.dealerCode,
        details: {
          shippedOn: dto.shippedOn,
          received: dto.serials.length,
          registered: registered.size,
          rejected: problems.length,
        },
      });
      return toView(await em.findOneByOrFail(ShipmentImportEntity, { reference: dto.reference }));
    });
  }

  async get(reference: string): Promise<ShipmentImportView> {
    const found = await this.db.getRepository(ShipmentImportEntity).findOneBy({ reference });
    if (!found) throw notFoundProblem(`Shipment ${reference} was not found.`);
    return toView(found);
  }

  /** Registry lines of the given serials (one query for a whole card batch). */
  async shippedAmong(serials: string[], em?: EntityManager): Promise<Map<string, ShippedSerial>> {
    if (serials.length === 0) return new Map();
    const rows = await preparedQuery<{ serial: string; dealer_code: string; shipped_on: string }>(
      em ?? this.db.manager,
      'shipped-among',
      `SELECT serial, dealer_code, to_char(shipped_on, 'YYYY-MM-DD') AS shipped_on FROM shipped_serials WHERE serial = ANY($1::text[])`,
      [textArrayLiteral(serials)],
    );
    return new Map(rows.map((r) => [r.serial, { dealerCode: r.dealer_code, shippedOn: r.shipped_on }]));
  }

  private async replay(em: EntityManager, reference: string, hash: string): Promise<ShipmentImportView | undefined> {
    const existing = await em.findOneBy(ShipmentImportEntity, { reference });
    if (!existing) return undefined;
    if (existing.contentHash !== hash) {
      throw new ProblemException({
        status: 409,
        type: 'shipment-reference-conflict',
        code: 'SHIPMENT_REFERENCE_CONFLICT',
        detail: `Shipment ${reference} was already imported with different content.`,
      });
    }
    return toView(existing);
  }
}
