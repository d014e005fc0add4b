import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { jobLockHeld } from '@app/platform';

export interface RunError {
  dealerCode: string;
  message: string;
}

export interface RunView {
  id: string;
  quarter: string;
  startedBy: string;
  status: 'RUNNING' | 'DONE' | 'FAILED';
  dealersTotal: number;
  dealersDone: number;
  errors: RunError[];
  startedAt: string;
  finishedAt: string | null;
}

/** The job lock a run's instance holds while it runs (`holdJobLock`). */
export const runLockName = (runId: string): string => `settlement-run:${runId}`;

/** Every SQL statement on settlement_runs (R-SET-2). */
@Injectable()
export class SettlementRunsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Serialises the starts of one quarter's runs (until the transaction ends). Answers the id of a
   * run still going, or of one left RUNNING by an instance that stopped (no live session holds
   * its lock, `runLockName`), which is then marked FAILED.
   */
  async lockQuarter(em: EntityManager, quarter: string, now: Date): Promise<{ running?: string; abandoned?: string }> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('settlement-run:' || $1))`, [quarter]);
    const [running] = await em.query(`SELECT id FROM settlement_runs WHERE quarter = $1 AND status = 'RUNNING'`, [
      quarter,
    ]);
    if (!running) return {};
    if (await jobLockHeld(em, runLockName(running.id))) return { running: running.id };
    await this.finish(em, running.id, 'FAILED', now, [
      { dealerCode: '*', message: 'abandoned: the instance running it stopped before it finished' },
    ]);
    return { abandoned: running.id };
  }

  /** Every dealer with an agreement in effect by `lastDay`. */
  async dealersWithAgreementBy(em: EntityManager, lastDay: string): Promise<string[]> {
    const rows: Array<{ dealer_code: string }> = await em.query(
      `SELECT DISTINCT dealer_code FROM known_agreements WHERE effective_from <= $1 ORDER BY dealer_code`,
      [lastDay],
    );
    return rows.map((r) => r.dealer_code);
  }

  async insert(
    em: EntityManager,
    run: { id: string; quarter: string; startedBy: string; dealersTotal: number; startedAt: Date },
  ): Promise<void> {
    await em.query(
      `INSERT INTO settlement_runs (id, quarter, started_by, status, dealers_total, started_at) VALUES ($1, $2, $3, 'RUNNING', $4, $5)`,
      [run.id, run.quarter, run.startedBy, run.dealersTotal, run.startedAt],
    );
  }

  async addProgress(runId: string, dealersDone: number, errors: RunError[]): Promise<void> {
    await this.db.query(
      `UPDATE settlement_runs SET dealers_done = dealers_done + $2, errors = errors || $3::jsonb WHERE id = $1`,
      [runId, dealersDone, JSON.stringify(errors)],
    );
  }

  async finish(
    em: EntityManager,
    runId: string,
    status: 'DONE' | 'FAILED',
    at: Date,
    errors: RunError[],
  ): Promise<void> {
    await em.query(
      `UPDATE settlement_runs SET status = $2, finished_at = $3, errors = errors || $4::jsonb WHERE id = $1`,
      [runId, status, at, JSON.stringify(errors)],
    );
  }

  async find(quarter: string, id: string): Promise<RunView | null> {
    const [r] = await this.db.query(`SELECT * FROM settlement_runs WHERE id = $1 AND quarter = $2`, [id, quarter]);
    if (!r) return null;
    return {
      id: r.id,
      quarter: r.quarter.trim(),
      startedBy: r.started_by,
      status: r.status,
      dealersTotal: r.dealers_total,
      dealersDone: r.dealers_done,
      errors: r.errors,
      startedAt: new Date(r.started_at).toISOString(),
      finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
    };
  }
}
