import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * R-SET-10 (DOMAIN §9): a requisition's filing date is the date on the document, entered by the
 * dealer. Requisitions filed before it are dated by the day they were submitted, in Asia/Shanghai.
 */
export class RequisitionFiledOn1767610000000 implements MigrationInterface {
  name = 'RequisitionFiledOn1767610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE requisitions ADD COLUMN filed_on date`);
    await q.query(`UPDATE requisitions SET filed_on = (submitted_at AT TIME ZONE 'Asia/Shanghai')::date`);
    await q.query(`ALTER TABLE requisitions ALTER COLUMN filed_on SET NOT NULL`);
    await q.query(`CREATE INDEX requisitions_filed_on ON requisitions (dealer_code, filed_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE requisitions DROP COLUMN filed_on`);
  }
}
