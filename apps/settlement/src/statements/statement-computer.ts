import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, SERVICE_CONFIG, ServiceConfig } from '@app/platform';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { computeStatement } from '../engine/compute-statement';
import type { StatementInput, StatementResult } from '../engine/statement-input';
import { FactsRepository } from '../projections/facts.repository';
import { DisputesRepository } from './disputes.repository';
import { StatementsRepository } from './statements.repository';
import { openingFor, previousQuarter } from './statement-rules';

export type ComputeOutcome = { dealerCode: string; result: StatementResult } | { dealerCode: string; error: string };

/**
 * Wraps FactsRepository and the pure engine for many dealers at once: the opening chained from
 * the previous frozen statement (R-SET-4), the dealer's approved quarters (so late facts become
 * R-SET-7 adjustments) and the accepted disputes entering this quarter (R-DSP-2).
 */
@Injectable()
export class StatementComputer {
  private readonly logger = new Logger(StatementComputer.name);
  private readonly profile: boolean;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly facts: FactsRepository,
    private readonly store: StatementsRepository,
    private readonly disputes: DisputesRepository,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.profile = config.settlement?.runProfile ?? false;
  }

  /**
   * `asOf`: only facts received by then (verification, approval); `now`: the moment the months'
   * report due times are judged at (DOMAIN §9 PENDING months), default `asOf`, else the Clock's now.
   */
  async compute(
    dealerCodes: string[],
    quarter: string,
    opts: { asOf?: Date; exclude?: string; now?: Date } = {},
    em: EntityManager = this.db.manager,
  ): Promise<ComputeOutcome[]> {
    if (dealerCodes.length === 0) return [];
    const started = Date.now();
    const previous = await this.store.frozen(dealerCodes, previousQuarter(quarter), em);
    const approved = await this.store.approvedQuarters(dealerCodes, opts.asOf, em);
    const disputes = await this.disputes.resolutionsFor(dealerCodes, quarter, opts.asOf, em);
    const loaded = await this.facts.loadStatementInputs(
      dealerCodes.map((dealerCode) => ({
        dealerCode,
        openingBalance: previous.get(dealerCode)?.outcome.nextOpening ?? '0.00',
        approvedQuarters: new Map(
          [...(approved.get(dealerCode) ?? new Map<string, Date>())].filter(
            ([q]) => q !== opts.exclude && q !== quarter,
          ),
        ),
      })),
      quarter,
      { asOf: opts.asOf, now: opts.now ?? opts.asOf ?? this.clock.now() },
      em,
    );
    const loadedAt = Date.now();
    const inputs = new Map<string, StatementInput>(loaded.map((i) => [i.dealerCode, i]));
    const out = dealerCodes.map((dealerCode): ComputeOutcome => {
      try {
        const input = inputs.get(dealerCode);
        if (!input)
          return { dealerCode, error: 'No statement input could be loaded (no agreement in force in the quarter?).' };
        const prev = previous.get(dealerCode);
        const withOwn: StatementInput = {
          ...input,
          openingBalance: openingFor(
            input.settlementMode,
            prev ? { status: prev.status, outcome: prev.outcome } : undefined,
          ),
          disputeResolutions: disputes.get(dealerCode) ?? [],
        };
        return { dealerCode, result: computeStatement(withOwn) };
      } catch (err) {
        return { dealerCode, error: err instanceof Error ? err.message : String(err) };
      }
    });
    if (this.profile)
      this.logger.log(
        `[settlement-run] ${dealerCodes.length} dealers: load ${loadedAt - started} ms, compute ${Date.now() - loadedAt} ms`,
      );
    return out;
  }
}
