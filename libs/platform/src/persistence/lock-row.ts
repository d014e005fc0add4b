import { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';

export interface LockRowOptions<T> {
  /** The error for a row that does not exist (usually a 404 problem of the feature). */
  notFound: () => Error;
  /** States the change may start from; another state throws `wrongState(row)`. */
  allowed?: readonly string[];
  wrongState?: (row: T) => Error;
  /** The row's state (default: its `status`). */
  stateOf?: (row: T) => string;
}

/**
 * The opening of every state change: in the caller's transaction, lock the row (FOR UPDATE) or
 * throw `notFound`, then check it is in one of the `allowed` states. Concurrent changes of the
 * same row queue on the lock, so the second one sees the first one's result.
 */
export async function lockRow<T extends ObjectLiteral>(
  em: EntityManager,
  entity: EntityTarget<T>,
  where: FindOptionsWhere<T>,
  options: LockRowOptions<T>,
): Promise<T> {
  const row = await em.findOne(entity, { where, lock: { mode: 'pessimistic_write' } });
  if (!row) throw options.notFound();
  if (options.allowed) {
    const state = options.stateOf ? options.stateOf(row) : (row as { status?: string }).status;
    if (!options.allowed.includes(state ?? '')) {
      if (!options.wrongState)
        throw new Error(`lockRow: state ${state} is not allowed and no wrongState error is given`);
      throw options.wrongState(row);
    }
  }
  return row;
}
