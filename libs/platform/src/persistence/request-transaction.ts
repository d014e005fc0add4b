import { AsyncLocalStorage } from 'node:async_hooks';
import { ClsServiceManager } from 'nestjs-cls';
import type { DataSource, QueryRunner } from 'typeorm';

/** CLS slot of the request's transaction (a symbol: nestjs-cls reads string keys as paths). */
const REQUEST_TRANSACTION = Symbol('requestTransaction');

/** Runs work one piece at a time, in the order it was handed in. */
class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/**
 * One level of the request transaction: the transaction itself, or a savepoint of it. Statements
 * and savepoints started at one level take their turn in its queue, so work run in parallel
 * (Promise.all) never interleaves on the one connection; work inside a savepoint runs at the
 * savepoint's own level and so never waits for the savepoint itself.
 */
interface Level {
  readonly owner: RequestTransaction;
  readonly queue: SerialQueue;
  /** Statements sent with COMMIT, kept only if this level (savepoint) is not rolled back. */
  readonly withCommit: string[];
}

const levels = new AsyncLocalStorage<Level>();

type EndHook = (committed: boolean) => void;

/**
 * A transaction on one pooled connection that the database work of a request joins (see
 * RequestTransactionDataSource): while `run` executes the handler, `createQueryRunner()` hands out
 * this connection, so `DataSource.transaction` becomes a savepoint, and reads see the request's
 * own writes. Created with RequestTransactionDataSource.beginRequestTransaction().
 */
export class RequestTransaction {
  /** What `createQueryRunner()` returns while the request runs: this runner, with a no-op release(). */
  readonly joinedRunner: QueryRunner;
  private readonly root: Level = { owner: this, queue: new SerialQueue(), withCommit: [] };
  private readonly endHooks: EndHook[] = [];
  private joinable = false;
  private ended = false;

  constructor(
    readonly dataSource: DataSource,
    readonly queryRunner: QueryRunner,
  ) {
    const query = queryRunner.query.bind(queryRunner) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(queryRunner, {
      query: (...args: unknown[]) => this.level().queue.run(() => query(...args)),
    });
    // Only the interceptor ends the transaction; code that asked for a runner of its own and
    // releases it must not hand the connection back to the pool mid-request.
    this.joinedRunner = new Proxy(queryRunner, {
      get: (target, property, receiver) =>
        property === 'release' ? releaseNothing : Reflect.get(target, property, receiver),
    });
  }

  /**
   * Whether database work of the current request context joins this transaction now. A
   * transaction whose connection was lost stays joined: the rest of the request fails on it
   * (503) instead of carrying on, and committing, on another connection.
   */
  get isJoinable(): boolean {
    return this.joinable && !this.ended;
  }

  /** Runs `handler` with this transaction as the request's; the slot is cleared when it settles. */
  async run<T>(handler: () => Promise<T>): Promise<T> {
    const cls = ClsServiceManager.getClsService();
    if (!cls.isActive()) throw new Error('A request transaction needs the request context (nestjs-cls)');
    cls.set(REQUEST_TRANSACTION, this);
    this.joinable = true;
    try {
      return await handler();
    } finally {
      this.joinable = false;
      // Continuations that outlive the handler take connections of their own from now on.
      if (cls.get(REQUEST_TRANSACTION) === this) cls.set(REQUEST_TRANSACTION, undefined);
    }
  }

  /**
   * Runs `work` (a TypeORM transaction on this connection, i.e. a savepoint) after the work
   * already started at the caller's level, with a level of its own for what it starts inside.
   */
  savepoint<T>(work: () => Promise<T>): Promise<T> {
    const parent = this.level();
    const level: Level = { owner: this, queue: new SerialQueue(), withCommit: [] };
    return parent.queue.run(async () => {
      const result = await levels.run(level, work);
      // Released savepoint: its statements for the commit now belong to the level around it.
      parent.withCommit.push(...level.withCommit);
      return result;
    });
  }

  /**
   * Sends `statement` (SQL with its values inlined, no parameters) in one message with the COMMIT,
   * after everything else the request wrote, unless the savepoint it was asked in rolls back. For
   * writes that take a lock every request contends for (the audit chain's head): the server runs
   * the statement and commits at once, so the lock is held for that work only, never while this
   * process gets round to sending the COMMIT.
   */
  commitWith(statement: string): void {
    if (this.ended) throw new Error('The request transaction has already ended');
    this.level().withCommit.push(statement);
  }

  /** Statements the interceptor itself runs, after whatever the handler left running. */
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T> {
    return this.queryRunner.query(sql, parameters) as Promise<T>;
  }

  async commit(): Promise<void> {
    const statements = this.root.withCommit.splice(0);
    if (statements.length === 0) await this.queryRunner.commitTransaction();
    else {
      // One simple-query message: the statements, then COMMIT (a failure stops the rest, and the
      // transaction is rolled back by the caller). TypeORM did not send this COMMIT: its runner
      // is told the transaction is over.
      await this.queryRunner.query([...statements, 'COMMIT'].join(';\n'));
      Object.assign(this.queryRunner, { isTransactionActive: false, transactionDepth: 0 });
    }
    this.end(true);
  }

  /** Rolls back if the transaction is still open; never throws (a lost connection has rolled back already). */
  async rollback(): Promise<void> {
    try {
      if (this.queryRunner.isTransactionActive && !this.queryRunner.isReleased)
        await this.queryRunner.rollbackTransaction();
    } catch {
      // The server ends the transaction with the connection.
    } finally {
      this.end(false);
    }
  }

  /**
   * Returns the connection to the pool; one whose transaction could not be ended is closed
   * instead, so no later request inherits it.
   */
  async release(): Promise<void> {
    this.end(false);
    if (this.queryRunner.isReleased) return;
    if (this.queryRunner.isTransactionActive) {
      const runner = this.queryRunner as unknown as { releasePostgresConnection?: (err: Error) => Promise<void> };
      if (runner.releasePostgresConnection) {
        await runner.releasePostgresConnection(new Error('request transaction left open'));
        return;
      }
    }
    await this.queryRunner.release();
  }

  /** `hook(committed)` once the transaction has ended. */
  onEnd(hook: EndHook): void {
    if (this.ended) throw new Error('The request transaction has already ended');
    this.endHooks.push(hook);
  }

  private end(committed: boolean): void {
    if (this.ended) return;
    this.ended = true;
    for (const hook of this.endHooks.splice(0)) hook(committed);
  }

  private level(): Level {
    const level = levels.getStore();
    return level?.owner === this ? level : this.root;
  }
}

const releaseNothing = async (): Promise<void> => undefined;

/** The request transaction the current context joins, if any (of `dataSource`, when given). */
export function currentRequestTransaction(dataSource?: DataSource): RequestTransaction | undefined {
  const cls = ClsServiceManager.getClsService();
  if (!cls.isActive()) return undefined;
  const transaction = cls.get<RequestTransaction | undefined>(REQUEST_TRANSACTION);
  if (!transaction?.isJoinable) return undefined;
  return dataSource && transaction.dataSource !== dataSource ? undefined : transaction;
}

/**
 * Starts `work` in the background, outside the request's transaction: once that transaction has
 * committed (not at all if it rolls back, since what the work would read was never stored), or
 * at once when the request has none. The promise settles when the work does; the request must
 * not wait for it, since the commit comes after the handler.
 */
export function runAfterCommit(work: () => Promise<void>): Promise<void> {
  const transaction = currentRequestTransaction();
  if (!transaction) return outsideRequestTransaction(work);
  return new Promise<void>((resolve, reject) => {
    transaction.onEnd((committed) => {
      if (committed) outsideRequestTransaction(work).then(resolve, reject);
      else resolve();
    });
  });
}

function outsideRequestTransaction(work: () => Promise<void>): Promise<void> {
  const start = (): Promise<void> => levels.exit(async () => work());
  const cls = ClsServiceManager.getClsService();
  if (!cls.isActive()) return start();
  // A copy of the request context (correlation id for logs and events) without the transaction.
  return cls.run({ ifNested: 'inherit' }, () => {
    cls.set(REQUEST_TRANSACTION, undefined);
    return start();
  });
}
