import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AgreementTerms } from '@app/contracts';
import { resolveAgreementTerms } from '@app/dealer-directory';
import {
  AuditLogService,
  Clock,
  fieldError,
  isolateFailures,
  messageRefOf,
  Principal,
  ProblemFieldError,
  runAfterCommit,
  SERVICE_CONFIG,
  ServiceConfig,
  SETTLEMENT_DEFAULTS,
  SettlementSettings,
  validationProblem,
  withMessageRef,
} from '@app/platform';
import type { StatementOutcome } from '../engine/statement-input';
import { StatementComputer } from '../statements/statement-computer';
import { canonicalLines } from '../statements/statement-rules';
import { StatementsRepository } from '../statements/statements.repository';
import { changedLines, closingDifference, quarterAt, quarterRangeErrors, quartersBetween } from './simulation-rules';
import { StartSimulationDto } from './simulations.dto';
import { simulationNotFound } from './simulations.problems';
import {
  SimulationError,
  SimulationRecord,
  SimulationResult,
  SimulationScope,
  SimulationsRepository,
} from './simulations.repository';

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A field error of the proposed terms, named under `terms.` (its catalogue message kept). */
function underTerms(e: ProblemFieldError): ProblemFieldError {
  const ref = messageRefOf(e);
  const named = { ...e, field: `terms.${e.field}` };
  return ref ? withMessageRef(named, ref) : named;
}

/**
 * What-if on proposed terms: recomputes past quarters of some dealers with the engine of the
 * quarterly run (StatementComputer) and the proposed terms, in the background, and keeps per
 * dealer and quarter the stored statement's closing beside the simulated one. Statements and the
 * ledger are only read.
 */
@Injectable()
export class SimulationsService implements OnModuleDestroy {
  private readonly logger = new Logger(SimulationsService.name);
  private readonly jobs = new Set<Promise<void>>();
  private readonly settings: SettlementSettings;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly simulations: SimulationsRepository,
    private readonly statements: StatementsRepository,
    private readonly computer: StatementComputer,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.settings = config.settlement ?? SETTLEMENT_DEFAULTS;
  }

  async start(dto: StartSimulationDto, principal: Principal): Promise<SimulationRecord> {
    const { terms, violations } = resolveAgreementTerms(dto.terms);
    const errors = [
      ...violations.map(underTerms),
      ...quarterRangeErrors(dto.fromQuarter, dto.toQuarter, quarterAt(this.clock.now())),
    ];
    if ((dto.dealerCodes === undefined) === (dto.region === undefined))
      errors.push(fieldError('dealerCodes', 'oneScope', 'validation.fields.simulationScope'));
    if (errors.length) throw validationProblem(errors);
    const id = randomUUID();
    const scope: SimulationScope = dto.region !== undefined ? { region: dto.region } : { dealerCodes: dto.dealerCodes };
    const dealers = await this.db.transaction(async (em) => {
      const codes = await this.dealersOf(em, scope);
      await this.simulations.insert(em, {
        id,
        startedBy: principal.sub,
        scope,
        terms,
        fromQuarter: dto.fromQuarter,
        toQuarter: dto.toQuarter,
        dealersTotal: codes.length,
        startedAt: this.clock.now(),
      });
      await this.audit.record(em, {
        action: 'simulation.started',
        entityType: 'simulation',
        entityId: id,
        details: { scope, fromQuarter: dto.fromQuarter, toQuarter: dto.toQuarter, dealers: codes.length, terms },
      });
      return codes;
    });
    const quarters = quartersBetween(dto.fromQuarter, dto.toQuarter);
    const job = runAfterCommit(() => this.execute(id, dealers, quarters, terms)).finally(() => this.jobs.delete(job));
    this.jobs.add(job);
    return (await this.simulations.find(id)) as SimulationRecord;
  }

  /** The dealers of the scope: the named ones (each known to settlement) or the region's (at least one). */
  private async dealersOf(em: EntityManager, scope: SimulationScope): Promise<string[]> {
    if (scope.region !== undefined) {
      const codes = await this.simulations.dealersOfRegion(em, scope.region);
      if (codes.length === 0)
        throw validationProblem([
          fieldError('region', 'regionHasDealers', 'validation.fields.simulationRegionEmpty', { region: scope.region }),
        ]);
      return codes;
    }
    const codes = [...new Set(scope.dealerCodes ?? [])];
    const known = await this.simulations.knownDealers(em, codes);
    const unknown = (scope.dealerCodes ?? []).flatMap((code, i) =>
      known.has(code)
        ? []
        : [fieldError(`dealerCodes[${i}]`, 'knownDealer', 'validation.fields.dealerNotKnownToSettlement', { code })],
    );
    if (unknown.length) throw validationProblem(unknown);
    return codes.sort();
  }

  /**
   * Runs synchronously (the benchmark and tests await it); start() schedules the same work in the
   * background. Batches of dealers, each through every quarter in order so each simulated quarter
   * opens on the previous simulated one.
   */
  async execute(id: string, dealers: string[], quarters: string[], terms: AgreementTerms): Promise<void> {
    try {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < dealers.length) {
          const batch = dealers.slice(next, next + this.settings.runBatchSize);
          next += this.settings.runBatchSize;
          const errors: SimulationError[] = [];
          const results = await this.simulateBatch(batch, quarters, terms, errors);
          await this.simulations.addResults(id, results, batch.length, errors);
        }
      };
      await Promise.all(Array.from({ length: this.settings.runConcurrency }, worker));
      await this.finish(id, 'DONE');
    } catch (err) {
      this.logger.error(`Simulation ${id} failed: ${err instanceof Error ? err.stack : String(err)}`);
      await this.finish(id, 'FAILED', errorMessage(err)).catch(() => undefined);
    }
  }

  private async simulateBatch(
    batch: string[],
    quarters: string[],
    terms: AgreementTerms,
    errors: SimulationError[],
  ): Promise<SimulationResult[]> {
    const previous = new Map<string, StatementOutcome>();
    const results: SimulationResult[] = [];
    for (const quarter of quarters) {
      const found = await isolateFailures(
        batch,
        (codes) => this.simulateQuarter(codes, quarter, terms, previous),
        (dealerCode, err) => errors.push({ dealerCode, quarter, message: errorMessage(err) }),
      );
      for (const f of found) {
        if ('error' in f) {
          errors.push({ dealerCode: f.dealerCode, quarter, message: f.error });
          previous.delete(f.dealerCode);
        } else {
          results.push(f.result);
          previous.set(f.dealerCode, f.outcome);
        }
      }
    }
    return results;
  }

  /** One quarter of some dealers: the stored statements, the simulation, the comparison. */
  private async simulateQuarter(
    codes: string[],
    quarter: string,
    terms: AgreementTerms,
    previous: ReadonlyMap<string, StatementOutcome>,
  ): Promise<
    Array<
      | { dealerCode: string; error: string }
      | { dealerCode: string; result: SimulationResult; outcome: StatementOutcome }
    >
  > {
    const stored = await this.statements.ofQuarter(codes, quarter);
    const lines = await this.statements.linesOf([...stored.values()].map((s) => s.id));
    const outcomes = await this.computer.simulate(
      codes.map((dealerCode) => {
        const s = stored.get(dealerCode);
        // The facts the stored statement was settled on: as approved, or as the draft was computed.
        const asOf = s ? new Date(s.approvedAt ?? s.computedAt) : undefined;
        return { dealerCode, terms, asOf, previousOutcome: previous.get(dealerCode) };
      }),
      quarter,
    );
    return outcomes.map((o) => {
      if ('error' in o) return o;
      const s = stored.get(o.dealerCode);
      const r = o.result;
      return {
        dealerCode: o.dealerCode,
        outcome: r.outcome,
        result: {
          dealerCode: o.dealerCode,
          quarter,
          statementId: s?.id ?? null,
          statementStatus: s?.status ?? null,
          actualClosing: s?.closing ?? null,
          simulatedOpening: r.openingBalance,
          simulatedClosing: r.closing,
          difference: closingDifference(s?.closing ?? null, r.closing),
          changedLines: s ? changedLines(lines.get(s.id) ?? [], canonicalLines(r.lines)) : [],
        },
      };
    });
  }

  private async finish(id: string, status: 'DONE' | 'FAILED', message?: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await this.simulations.finish(em, id, status, this.clock.now(), message ? [{ dealerCode: '*', message }] : []);
      await this.audit.record(em, {
        action: `simulation.${status.toLowerCase()}`,
        entityType: 'simulation',
        entityId: id,
      });
    });
  }

  async get(id: string): Promise<SimulationRecord> {
    const s = await this.simulations.find(id);
    if (!s) throw simulationNotFound(id);
    return s;
  }

  /** Lets a running batch finish before the database connection closes. */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.jobs]);
  }
}
