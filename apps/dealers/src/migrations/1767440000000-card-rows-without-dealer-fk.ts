import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * warranty_cards is the high-volume table (millions of rows, 5,000 per request). A foreign key
 * on each card re-checks the dealer row once per card — about a third of a batch's insert time —
 * although the batch already holds that dealer row FOR SHARE for its whole transaction
 * (SubmitWarrantyCardsUseCase) and dealers are never deleted. The batch row
 * (warranty_card_batches.dealer_code) keeps its foreign key; the card rows rely on it.
 */
export class CardRowsWithoutDealerFk1767440000000 implements MigrationInterface {
  name = 'CardRowsWithoutDealerFk1767440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE warranty_cards DROP CONSTRAINT warranty_cards_dealer_code_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE warranty_cards ADD CONSTRAINT warranty_cards_dealer_code_fkey FOREIGN KEY (dealer_code) REFERENCES dealers(code)`,
    );
  }
}
