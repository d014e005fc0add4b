import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { CLS_CAUSATION_ID, CLS_CORRELATION_ID, CLS_PRINCIPAL, CLS_REQUEST_ID } from '../context/context.constants';
import { currentRequestTransaction } from '../persistence/request-transaction';
import { AuditChainFields } from './audit-chain';
import { AuditChainRepository, chainStatement, NewChainedRow } from './audit-chain.repository';

export interface AuditRecordInput {
  /** Verb, e.g. 'warranty-card.submitted'. */
  action: string;
  entityType: string;
  entityId: string;
  dealerCode?: string | null;
  details?: Record<string, unknown>;
}

export const SYSTEM_ACTOR = 'system';

/**
 * Writes audit rows inside the caller's transaction (pass the EntityManager of the unit of work).
 * Actor, role, request and correlation ids come from the request context; without a principal
 * (Kafka consumers, jobs) the actor is 'system' and requestId falls back to the causation id.
 *
 * Each entry is chained to the one before it (audit-chain.ts): the chain head's row is locked
 * until the transaction ends, so entries get gap-free ids in commit order and one linear chain.
 * In a request the chaining waits for the commit (see record); elsewhere (consumers, jobs) write
 * the audit entry as the last step of a change: other writers wait from there to the commit.
 */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly cls: ClsService,
    private readonly chain: AuditChainRepository,
  ) {}

  /**
   * In a request's transaction the entry is chained by a statement sent in one message with its
   * COMMIT (after the idempotent answer is stored), so the head stays locked for the server's
   * work on that message only; it resolves to undefined then. Elsewhere it is chained at once and
   * returned.
   */
  async record(em: EntityManager, entry: AuditRecordInput): Promise<NewChainedRow | undefined> {
    if (!em.queryRunner?.isTransactionActive) return em.transaction((inner) => this.record(inner, entry));
    const content = this.contentOf(entry);
    const request = currentRequestTransaction();
    if (request && (em.queryRunner === request.queryRunner || em.queryRunner === request.joinedRunner)) {
      request.commitWith(chainStatement(content));
      return undefined;
    }
    return this.chain.append(em, content);
  }

  /** The entry's fields from the caller and the request or event context, taken when it is recorded. */
  private contentOf(entry: AuditRecordInput): AuditChainFields {
    const active = this.cls.isActive();
    const principal = active ? this.cls.get<Principal | undefined>(CLS_PRINCIPAL) : undefined;
    const correlationId = active ? this.cls.get<string | undefined>(CLS_CORRELATION_ID) : undefined;
    const requestId = active
      ? ((principal ? this.cls.get<string>(CLS_REQUEST_ID) : undefined) ??
        this.cls.get<string | undefined>(CLS_CAUSATION_ID) ??
        this.cls.get<string | undefined>(CLS_REQUEST_ID))
      : undefined;
    return {
      actor: principal?.sub ?? SYSTEM_ACTOR,
      role: principal?.role ?? SYSTEM_ACTOR,
      dealerCode: entry.dealerCode ?? null,
      requestId: requestId ?? null,
      correlationId: correlationId ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      details: entry.details ?? {},
    };
  }
}
