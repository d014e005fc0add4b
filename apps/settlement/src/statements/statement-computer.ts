import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock, SERVICE_CONFIG, ServiceConfig } from '@app/platform';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { computeStatement } from '../engine/compute-statement';
import type { AgreementTerms, SettlementMode } from '@app/contracts';
import type {
  DisputeResolutionInput,
  StatementInput,
  StatementOutcome,
  StatementResult,
} from '../engine/statement-input';
import { FactsRepository } from '../projections/facts.repository';
import { DisputesRepository } from './disputes.repository';
import { StatementsRepository } from './statements.repository';
import { openingFor, previousQuarter } from './statement-rules';

/** One dealer of a what-if computation (StatementComputer.simulate). */
export interface SimulationRequest {
  dealerCode: string;
  /** Facts as received by then; absent: every fact received by now. */
  asOf?: Date;
  terms: AgreementTerms;
  /** The simulated previous quarter's outcome, chained in place of the stored previous statement's. */
  previousOutcome?: StatementOutcome;
}

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
    const out = this.computeLoaded(dealerCodes, loaded, disputes, (code, mode) => {
      const prev = previous.get(code);
      return openingFor(mode, prev ? { status: prev.status, outcome: prev.outcome } : undefined);
    });
    if (this.profile)
      this.logger.log(
        `[settlement-run] ${dealerCodes.length} dealers: load ${loadedAt - started} ms, compute ${Date.now() - loadedAt} ms`,
      );
    return out;
  }

  /**
   * What-if on proposed terms: the same load and engine as compute(), each dealer with its
   * proposed terms in place of its agreement versions' terms and with the facts received by its
   * own `asOf` (the stored statement's approval or computation; absent: the Clock's now). The
   * opening chains as R-SET-4 does from the previous frozen statement, with `previousOutcome` (the
   * simulated previous quarter) in place of the stored outcome when given.
   */
  async simulate(
    requests: SimulationRequest[],
    quarter: string,
    em: EntityManager = this.db.manager,
  ): Promise<ComputeOutcome[]> {
    if (requests.length === 0) return [];
    const codes = requests.map((r) => r.dealerCode);
    const now = this.clock.now();
    const previous = await this.store.frozen(codes, previousQuarter(quarter), em);
    const approved = await this.store.approvedQuarters(codes, undefined, em);
    const disputes = await this.disputes.resolutionsEachAsOf(requests, quarter, em);
    const loaded = await this.facts.loadStatementInputs(
      requests.map((r) => ({
        dealerCode: r.dealerCode,
        openingBalance: '0.00',
        approvedQuarters: new Map(
          [...(approved.get(r.dealerCode) ?? new Map<string, Date>())].filter(
            ([q, at]) => q !== quarter && (!r.asOf || at.getTime() <= r.asOf.getTime()),
          ),
        ),
        asOf: r.asOf ?? now,
        terms: r.terms,
      })),
      quarter,
      {},
      em,
    );
    const byCode = new Map(requests.map((r) => [r.dealerCode, r]));
    return this.computeLoaded(codes, loaded, disputes, (code, mode) => {
      const prev = previous.get(code);
      const simulated = byCode.get(code)?.previousOutcome;
      return openingFor(mode, prev ? { status: prev.status, outcome: simulated ?? prev.outcome } : undefined);
    });
  }

  /** The engine over loaded inputs, with each dealer's opening and accepted disputes. */
  private computeLoaded(
    dealerCodes: string[],
    loaded: StatementInput[],
    disputes: Map<string, DisputeResolutionInput[]>,
    openingOf: (dealerCode: string, mode: SettlementMode) => string,
  ): ComputeOutcome[] {
    const inputs = new Map<string, StatementInput>(loaded.map((i) => [i.dealerCode, i]));
    return dealerCodes.map((dealerCode): ComputeOutcome => {
      try {
        const input = inputs.get(dealerCode);
        if (!input)
          return { dealerCode, error: 'No statement input could be loaded (no agreement in force in the quarter?).' };
        const withOwn: StatementInput = {
          ...input,
          openingBalance: openingOf(dealerCode, input.settlementMode),
          disputeResolutions: disputes.get(dealerCode) ?? [],
        };
        return { dealerCode, result: computeStatement(withOwn) };
      } catch (err) {
        return { dealerCode, error: err instanceof Error ? err.message : String(err) };
      }
    });
  }
}
