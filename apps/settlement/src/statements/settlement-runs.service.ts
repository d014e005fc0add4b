import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { lastDayOfMonth, monthsOfQuarter } from '@app/kernel';
import {
  AuditLogService,
  Clock,
  holdJobLock,
  isolateFailures,
  Principal,
  runAfterCommit,
  SERVICE_CONFIG,
  ServiceConfig,
  SETTLEMENT_DEFAULTS,
  SettlementSettings,
} from '@app/platform';
import { ComputeOutcome, StatementComputer } from './statement-computer';
import { RunError, RunView, runLockName, SettlementRunsRepository } from './settlement-runs.repository';
import { DraftToStore, StatementsRepository } from './statements.repository';
import { RunInProgress, runNotFound } from './statements.problems';
import { runMayRecompute } from './statement-rules';

export type { RunError, RunView } from './settlement-runs.repository';

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** R-SET-2 / R-SET-8: quarterly runs computing a DRAFT for every dealer with an agreement, in the background. */
@Injectable()
export class SettlementRunsService implements OnModuleDestroy {
  private readonly logger = new Logger(SettlementRunsService.name);
  private readonly jobs = new Set<Promise<void>>();
  /** Batch size (dealers loaded and computed together), batches in flight, profiling. */
  private readonly settings: SettlementSettings;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: StatementsRepository,
    private readonly runs: SettlementRunsRepository,
    private readonly computer: StatementComputer,
    private readonly audit: AuditLogService,
    private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.settings = config.settlement ?? SETTLEMENT_DEFAULTS;
  }

  async start(quarter: string, principal: Principal): Promise<RunView> {
    const id = randomUUID();
    const lastDay = lastDayOfMonth(monthsOfQuarter(quarter)[2]);
    // Held by this instance from before the run exists until its work ends: a run left RUNNING
    // whose lock nobody holds belongs to an instance that stopped (lockQuarter).
    const lock = await holdJobLock(this.db, runLockName(id));
    let dealers: string[];
    try {
      dealers = await this.db.transaction(async (em) => {
        const { running, abandoned } = await this.runs.lockQuarter(em, quarter, this.clock.now());
        if (running) throw new RunInProgress(running, quarter);
        if (abandoned)
          await this.audit.record(em, {
            action: 'settlement-run.abandoned',
            entityType: 'settlement-run',
            entityId: abandoned,
            details: { quarter, replacedBy: id },
          });
        const codes = await this.runs.dealersWithAgreementBy(em, lastDay);
        await this.runs.insert(em, {
          id,
          quarter,
          startedBy: principal.sub,
          dealersTotal: codes.length,
          startedAt: this.clock.now(),
        });
        await this.audit.record(em, {
          action: 'settlement-run.started',
          entityType: 'settlement-run',
          entityId: id,
          details: { quarter, dealers: codes.length },
        });
        return codes;
      });
    } catch (err) {
      await lock.release();
      throw err;
    }
    // After the run row is committed (the request may still be in its transaction) and on
    // connections of its own.
    const job = runAfterCommit(() => this.execute(id, quarter, principal.sub, dealers)).finally(() => {
      this.jobs.delete(job);
      return lock.release();
    });
    this.jobs.add(job);
    return (await this.find(quarter, id)) as RunView;
  }

  /**
   * Runs synchronously (the benchmark and tests await it); start() schedules the same work in the background.
   * A dealer whose statement cannot be computed or stored is listed in the run's errors with its
   * own message; the other dealers' drafts are stored and the run ends DONE.
   */
  async execute(runId: string, quarter: string, startedBy: string, dealers: string[]): Promise<void> {
    const phases = { load: 0, store: 0 };
    const processBatch = async (batch: string[]): Promise<void> => {
      let t = Date.now();
      const errors: RunError[] = [];
      const outcomes = await this.computeEach(batch, quarter, errors);
      phases.load += Date.now() - t;
      t = Date.now();
      const drafts: DraftToStore[] = [];
      for (const o of outcomes) {
        if ('error' in o) errors.push({ dealerCode: o.dealerCode, message: o.error });
        else drafts.push({ result: o.result, runId, computedBy: startedBy });
      }
      await this.storeEach(drafts, errors);
      await this.runs.addProgress(runId, batch.length, errors);
      phases.store += Date.now() - t;
    };
    try {
      // A few batches in flight: one loads in PostgreSQL while another is computed here or stored.
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < dealers.length) {
          const batch = dealers.slice(next, next + this.settings.runBatchSize);
          next += this.settings.runBatchSize;
          await processBatch(batch);
        }
      };
      await Promise.all(Array.from({ length: this.settings.runConcurrency }, worker));
      if (this.settings.runProfile)
        this.logger.log(`[settlement-run] ${runId}: load+compute ${phases.load} ms, store ${phases.store} ms`);
      await this.finish(runId, 'DONE');
    } catch (err) {
      this.logger.error(`Settlement run ${runId} failed: ${err instanceof Error ? err.stack : String(err)}`);
      await this.finish(runId, 'FAILED', err instanceof Error ? err.message : String(err)).catch(() => undefined);
    }
  }

  /** The batch's open statements computed together; a dealer whose inputs cannot be loaded is listed with its error. */
  private computeEach(batch: string[], quarter: string, errors: RunError[]): Promise<ComputeOutcome[]> {
    return isolateFailures(
      batch,
      async (dealerCodes) => {
        const statuses = await this.store.statusesFor(dealerCodes, quarter);
        return this.computer.compute(
          dealerCodes.filter((d) => runMayRecompute(statuses.get(d)?.status)),
          quarter,
        );
      },
      (dealerCode, err) => errors.push({ dealerCode, message: errorMessage(err) }),
    );
  }

  /** Stores the drafts in one transaction; a statement that cannot be stored stays its dealer's error. */
  private async storeEach(drafts: DraftToStore[], errors: RunError[]): Promise<void> {
    await isolateFailures(
      drafts,
      async (part) => {
        await this.db.transaction((em) => this.store.storeDrafts(em, part, this.clock.now()));
        return [];
      },
      (draft, err) =>
        errors.push({
          dealerCode: draft.result.dealerCode,
          message: `the statement could not be stored: ${errorMessage(err)}`,
        }),
    );
  }

  private async finish(runId: string, status: 'DONE' | 'FAILED', message?: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await this.runs.finish(em, runId, status, this.clock.now(), message ? [{ dealerCode: '*', message }] : []);
      await this.audit.record(em, {
        action: `settlement-run.${status.toLowerCase()}`,
        entityType: 'settlement-run',
        entityId: runId,
      });
    });
  }

  find(quarter: string, id: string): Promise<RunView | null> {
    return this.runs.find(quarter, id);
  }

  async get(quarter: string, id: string): Promise<RunView> {
    const run = await this.find(quarter, id);
    if (!run) throw runNotFound(quarter, id);
    return run;
  }

  /** Lets a running batch finish before the database connection closes. */
  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled([...this.jobs]);
  }
}
