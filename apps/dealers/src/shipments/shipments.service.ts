import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isCalendarDate } from '@app/kernel';
import { AuditLogService, fieldError, notFoundProblem, Principal, problemText, validationProblem } from '@app/platform';
import { ProductModelsService } from '../product-models/product-models.service';
import { DealersRepository } from '../registry/dealers.repository';
import { ImportShipmentDto, ShipmentImportView } from './shipment.dto';
import { ShipmentImportEntity } from './shipment.entity';
import {
  checkShipmentLines,
  modelsNamed,
  ShipmentLine,
  ShipmentLineProblem,
  shipmentContentHash,
} from './shipment-lines';
import { ShipmentReferenceConflictProblem, UnknownDealerProblem } from './shipments.problems';
import { ShipmentsRepository } from './shipments.repository';

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

/** The lines the registry already had, as problems of the import. */
function alreadyRegistered(lines: ShipmentLine[], registered: ReadonlySet<string>): ShipmentLineProblem[] {
  return lines
    .filter((l) => !registered.has(l.serial))
    .map((l) => ({
      line: l.line,
      serial: l.serial,
      code: 'ALREADY_REGISTERED',
      message: `serial ${l.serial} is already in the shipment registry`,
    }));
}

@Injectable()
export class ShipmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly shipments: ShipmentsRepository,
    private readonly dealers: DealersRepository,
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
      throw validationProblem([fieldError('shippedOn', 'calendarDate', 'validation.fields.calendarDate')]);
    const hash = shipmentContentHash(dto.dealerCode, dto.shippedOn, dto.serials);
    const replay = await this.replay(this.db.manager, dto.reference, hash);
    if (replay) return replay;
    if (!(await this.dealers.exists(dto.dealerCode))) throw new UnknownDealerProblem(dto.dealerCode);
    const known = await this.models.knownAmong(modelsNamed(dto.serials));
    const { lines, problems } = checkShipmentLines(dto.serials, known);
    return this.db.transaction(async (em) => {
      // Claim the reference first: a concurrent import of the same reference waits here and then replays.
      if (!(await this.shipments.claimImport(em, dto, hash, dto.serials.length, actor.sub))) {
        const answer = await this.replay(em, dto.reference, hash);
        if (answer) return answer;
      }
      const registered = await this.shipments.registerSerials(em, dto, lines);
      problems.push(...alreadyRegistered(lines, registered));
      problems.sort((a, b) => a.line - b.line);
      const stored = await this.shipments.completeImport(em, dto.reference, registered.size, problems);
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
      return toView(stored);
    });
  }

  async get(reference: string): Promise<ShipmentImportView> {
    const found = await this.shipments.findImport(reference);
    if (!found) throw notFoundProblem(problemText('shipmentNotFound', { reference }));
    return toView(found);
  }

  /** Registry lines of the given serials (one query for a whole card batch). */
  async shippedAmong(serials: string[], em?: EntityManager): Promise<Map<string, ShippedSerial>> {
    if (serials.length === 0) return new Map();
    const rows = await this.shipments.shippedAmong(serials, em);
    return new Map(rows.map((r) => [r.serial, { dealerCode: r.dealer_code, shippedOn: r.shipped_on }]));
  }

  private async replay(em: EntityManager, reference: string, hash: string): Promise<ShipmentImportView | undefined> {
    const existing = await this.shipments.findImport(reference, em);
    if (!existing) return undefined;
    if (existing.contentHash !== hash) throw new ShipmentReferenceConflictProblem(reference);
    return toView(existing);
  }
}
