import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { preparedQuery, textArrayLiteral } from '@app/platform';
import { ShipmentImportEntity } from './shipment.entity';
import { ShipmentLineProblem } from './shipment-lines';

/** Rows per INSERT … SELECT FROM unnest: large enough to be one round trip for most imports, small enough to keep parameters modest. */
const INSERT_CHUNK = 25_000;

export interface ShipmentHeader {
  reference: string;
  dealerCode: string;
  shippedOn: string;
}

export interface ShippedSerialRow {
  serial: string;
  dealer_code: string;
  shipped_on: string;
}

/** shipment_imports (one row per import, with its answer) and shipped_serials (the registry). */
@Injectable()
export class ShipmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  findImport(reference: string, em: EntityManager = this.db.manager): Promise<ShipmentImportEntity | null> {
    return em.findOneBy(ShipmentImportEntity, { reference });
  }

  /** Claims the reference; false when another import holds it (a concurrent one waits here for it to end). */
  async claimImport(
    em: EntityManager,
    h: ShipmentHeader,
    contentHash: string,
    received: number,
    importedBy: string,
  ): Promise<boolean> {
    const claimed: unknown[] = await em.query(
      `INSERT INTO shipment_imports (reference, dealer_code, shipped_on, content_hash, received, registered, rejected, problems, imported_by)
       VALUES ($1, $2, $3, $4, $5, 0, 0, '[]', $6) ON CONFLICT (reference) DO NOTHING RETURNING reference`,
      [h.reference, h.dealerCode, h.shippedOn, contentHash, received, importedBy],
    );
    return claimed.length > 0;
  }

  /** Adds the serials not yet in the registry, in chunks; returns those it added. */
  async registerSerials(
    em: EntityManager,
    h: ShipmentHeader,
    lines: ReadonlyArray<{ serial: string; model: string }>,
  ): Promise<Set<string>> {
    const registered = new Set<string>();
    for (let i = 0; i < lines.length; i += INSERT_CHUNK) {
      const chunk = lines.slice(i, i + INSERT_CHUNK);
      const rows: Array<{ serial: string }> = await em.query(
        `INSERT INTO shipped_serials (serial, model, dealer_code, shipped_on, reference)
         SELECT u.serial, u.model, $3, $4, $5 FROM unnest($1::text[], $2::text[]) AS u(serial, model)
         ON CONFLICT (serial) DO NOTHING RETURNING serial`,
        [chunk.map((l) => l.serial), chunk.map((l) => l.model), h.dealerCode, h.shippedOn, h.reference],
      );
      for (const r of rows) registered.add(r.serial);
    }
    return registered;
  }

  /** Stores the import's answer and returns the row. */
  async completeImport(
    em: EntityManager,
    reference: string,
    registered: number,
    problems: ShipmentLineProblem[],
  ): Promise<ShipmentImportEntity> {
    await em.query(`UPDATE shipment_imports SET registered = $2, rejected = $3, problems = $4 WHERE reference = $1`, [
      reference,
      registered,
      problems.length,
      JSON.stringify(problems),
    ]);
    return em.findOneByOrFail(ShipmentImportEntity, { reference });
  }

  /** Registry lines of the given serials (a prepared statement: one query for a whole card batch). */
  async shippedAmong(serials: string[], em: EntityManager = this.db.manager): Promise<ShippedSerialRow[]> {
    return preparedQuery<ShippedSerialRow>(
      em,
      'shipped-among',
      `SELECT serial, dealer_code, to_char(shipped_on, 'YYYY-MM-DD') AS shipped_on FROM shipped_serials WHERE serial = ANY($1::text[])`,
      [textArrayLiteral(serials)],
    );
  }
}
