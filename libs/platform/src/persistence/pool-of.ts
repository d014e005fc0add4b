import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The node-postgres pool behind a TypeORM data source (its master: the project runs without
 * replicas), for work TypeORM's query runners cannot express: a statement prepared on a pooled
 * connection, a connection held for a job's length.
 */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}
