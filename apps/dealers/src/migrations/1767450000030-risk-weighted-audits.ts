import { MigrationInterface, QueryRunner } from 'typeorm';

/** An address as the risk signals compare it (the repository matches this expression, so the index serves it). */
const NORMALISED_ADDRESS = `lower(regexp_replace(address, '\\s', '', 'g'))`;

/**
 * R-AUD-1 weighting RISK: how an audit's sample was drawn, the risk scores it was drawn with (a
 * snapshot aligned with population_serials, and its hash) and, per sampled card, its score and the
 * signals that fired. Audits drawn before stay UNIFORM.
 */
export class RiskWeightedAudits1767450000030 implements MigrationInterface {
  name = 'RiskWeightedAudits1767450000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE callback_audits
        ADD COLUMN weighting varchar(8) NOT NULL DEFAULT 'UNIFORM' CHECK (weighting IN ('UNIFORM','RISK')),
        ADD COLUMN population_scores int[],
        ADD COLUMN risk_hash char(64),
        ADD CONSTRAINT callback_audits_risk_snapshot CHECK (
          (weighting = 'RISK') = (population_scores IS NOT NULL AND risk_hash IS NOT NULL)
          AND (population_scores IS NULL OR cardinality(population_scores) = cardinality(population_serials))
        )`);
    await q.query(`
      ALTER TABLE callback_audit_samples
        ADD COLUMN score int CHECK (score >= 1),
        ADD COLUMN signals jsonb`);
    // The ADDRESS signals count a card's address (without spaces, lower case) over all accepted cards.
    await q.query(
      `CREATE INDEX warranty_cards_accepted_address ON warranty_cards ((${NORMALISED_ADDRESS})) WHERE status = 'ACCEPTED'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX warranty_cards_accepted_address`);
    await q.query(`ALTER TABLE callback_audit_samples DROP COLUMN signals, DROP COLUMN score`);
    await q.query(
      `ALTER TABLE callback_audits DROP CONSTRAINT callback_audits_risk_snapshot, DROP COLUMN risk_hash, DROP COLUMN population_scores, DROP COLUMN weighting`,
    );
  }
}
