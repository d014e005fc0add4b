import type { EventEmitter } from 'node:events';
import { DataSource, EntityManager, Migration, MigrationExecutor, QueryRunner, ReplicationMode } from 'typeorm';
import { DatabaseConnectionLostError } from './database-errors';
import { currentRequestTransaction, RequestTransaction } from './request-transaction';

/** What a runner of this data source reports about its connection: the error that ended it, if any. */
interface ConnectionLossAware {
  connectionLoss(): unknown;
}

type TransactionMethod = (this: EntityManager, ...args: unknown[]) => Promise<unknown>;
const baseTransaction = EntityManager.prototype.transaction as unknown as TransactionMethod;

/** The PostgresQueryRunner method TypeORM calls, with the error, when the connection fails. */
interface ReleasableOnError {
  releasePostgresConnection(err?: unknown): Promise<void>;
}

/**
 * `DataSource.transaction` (and `manager.transaction`) inside a request transaction: a savepoint
 * on the request's connection, after the savepoints already started beside it.
 */
class RequestTransactionEntityManager extends EntityManager {
  override transaction(...args: unknown[]): Promise<never> {
    const request = currentRequestTransaction(this.connection);
    const ownRunner = this.queryRunner && this.queryRunner !== request?.queryRunner;
    if (!request || ownRunner) return baseTransaction.apply(this, args) as Promise<never>;
    if (typeof args[0] === 'string') {
      // A savepoint cannot change the isolation level the request transaction started with.
      return Promise.reject(new Error(`A ${args[0]} transaction cannot join the request transaction (READ COMMITTED)`));
    }
    return request.savepoint(() => baseTransaction.apply(this, args)) as Promise<never>;
  }
}

/**
 * The services' DataSource. While a request transaction runs (see RequestTransaction), every
 * query runner it hands out in that request's context is the request's, so services join it
 * without being written for it. It also turns a query on a connection that has failed into a
 * DatabaseConnectionLostError, and runs migrations without the pool's statement timeout.
 */
export class RequestTransactionDataSource extends DataSource {
  override async initialize(): Promise<this> {
    await super.initialize();
    // pg-pool stops listening to a new client's errors when it hands the client over, and TypeORM
    // starts listening a microtask later: an error in the same packet as the connection's
    // ReadyForQuery (a backend terminated as it connects) would have no listener and end the
    // process. Whoever holds the client still gets the error.
    const pool = (this.driver as unknown as { master?: EventEmitter }).master;
    pool?.on('connect', (client: EventEmitter) => client.on('error', () => undefined));
    return this;
  }

  /** Opens a transaction on a connection of its own; run the request's handler with `run`. */
  async beginRequestTransaction(): Promise<RequestTransaction> {
    const runner = this.newQueryRunner('master');
    try {
      await runner.connect();
      await runner.startTransaction();
    } catch (err) {
      await runner.release();
      throw err;
    }
    return new RequestTransaction(this, runner);
  }

  override createQueryRunner(mode: ReplicationMode = 'master'): QueryRunner {
    return currentRequestTransaction(this)?.joinedRunner ?? this.newQueryRunner(mode);
  }

  /**
   * EntityManager.query goes through here with its runner, and TypeORM refuses a released runner
   * before the runner could say why: a runner released because its connection failed says so.
   */
  override query<T = any>(query: string, parameters?: any[], queryRunner?: QueryRunner): Promise<T> {
    const lost = (queryRunner as Partial<ConnectionLossAware> | undefined)?.connectionLoss?.();
    if (queryRunner?.isReleased && lost !== undefined) return Promise.reject(new DatabaseConnectionLostError(lost));
    return super.query<T>(query, parameters, queryRunner);
  }

  override createEntityManager(queryRunner?: QueryRunner): EntityManager {
    return new RequestTransactionEntityManager(this, queryRunner);
  }

  override async runMigrations(options?: {
    transaction?: 'all' | 'none' | 'each';
    fake?: boolean;
  }): Promise<Migration[]> {
    const runner = this.newQueryRunner('master');
    try {
      // A migration may rewrite a large table; the statement timeout is meant for requests and jobs.
      await runner.query('SET statement_timeout = 0');
      const executor = new MigrationExecutor(this, runner);
      executor.transaction = options?.transaction ?? this.options.migrationsTransactionMode ?? 'all';
      executor.fake = options?.fake ?? false;
      return await executor.executePendingMigrations();
    } finally {
      await runner.query('RESET statement_timeout').catch(() => undefined);
      await runner.release();
    }
  }

  /**
   * A runner whose queries after a connection failure say so: TypeORM releases the runner when its
   * connection fails, and would otherwise answer "query runner already released".
   */
  private newQueryRunner(mode: ReplicationMode): QueryRunner {
    const runner = super.createQueryRunner(mode);
    const internals = runner as unknown as ReleasableOnError;
    const releaseConnection = internals.releasePostgresConnection.bind(runner);
    let lost: unknown;
    internals.releasePostgresConnection = (err?: unknown) => {
      if (err !== undefined && !runner.isReleased) lost = err;
      return releaseConnection(err);
    };
    const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    const aware: ConnectionLossAware = { connectionLoss: () => lost };
    Object.assign(runner, aware, {
      query: (...args: unknown[]) =>
        lost !== undefined ? Promise.reject(new DatabaseConnectionLostError(lost)) : query(...args),
    });
    return runner;
  }
}
