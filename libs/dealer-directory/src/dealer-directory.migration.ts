import { MigrationInterface, QueryRunner } from 'typeorm';

export class DealerDirectory1767300000000 implements MigrationInterface {
  name = 'DealerDirectory1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE known_dealers (
        code varchar(32) PRIMARY KEY,
        name varchar(200) NOT NULL,
        region varchar(100),
        status varchar(16) NOT NULL,
        source_event_id uuid NOT NULL
      )`);
    await q.query(`
      CREATE TABLE known_agreements (
        dealer_code varchar(32) NOT NULL,
        version int NOT NULL,
        effective_from date NOT NULL,
        terms jsonb NOT NULL,
        source_event_id uuid NOT NULL,
        PRIMARY KEY (dealer_code, version)
      )`);
    await q.query(`CREATE INDEX known_agreements_effective ON known_agreements (dealer_code, effective_from)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE known_agreements`);
    await q.query(`DROP TABLE known_dealers`);
  }
}
