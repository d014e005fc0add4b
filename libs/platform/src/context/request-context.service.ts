import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { Principal } from '../auth/principal';
import { CLS_CAUSATION_ID, CLS_CORRELATION_ID, CLS_PRINCIPAL, CLS_REQUEST_ID } from './context.constants';

/** Typed read access to the per-request (or per-message) context held in nestjs-cls. */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService) {}

  get active(): boolean {
    return this.cls.isActive();
  }

  get correlationId(): string | undefined {
    return this.cls.isActive() ? this.cls.get<string>(CLS_CORRELATION_ID) : undefined;
  }

  get requestId(): string | undefined {
    return this.cls.isActive() ? this.cls.get<string>(CLS_REQUEST_ID) : undefined;
  }

  get causationId(): string | undefined {
    return this.cls.isActive() ? this.cls.get<string>(CLS_CAUSATION_ID) : undefined;
  }

  /** The authenticated caller, set by the auth guard; undefined on public routes and in Kafka consumers. */
  get principal(): Principal | undefined {
    return this.cls.isActive() ? this.cls.get<Principal>(CLS_PRINCIPAL) : undefined;
  }
}
