import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The price list as the returns service learns it from requisitions' PartPriceSet events (R-PRT-1),
 * for valuing refurbishment parts at closing (R-RET-4, DOMAIN §9). One row per part and effective date;
 * replaying the events rebuilds it.
 */
export class PartPrices1767710000000 implements MigrationInterface {
  name = 'PartPrices1767710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE part_prices (
        part_no varchar(64) NOT NULL,
        effective_from date NOT NULL,
        name varchar(200) NOT NULL,
        list_price numeric(12,2) NOT NULL CHECK (list_price >= 0),
        cost_price numeric(12,2) NOT NULL CHECK (cost_price >= 0),
        source_event_id uuid NOT NULL,
        PRIMARY KEY (part_no, effective_from)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE part_prices`);
  }
}
