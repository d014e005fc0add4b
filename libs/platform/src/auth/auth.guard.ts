import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { CLS_PRINCIPAL } from '../context/context.constants';
import { problemText } from '../problem/problem.exception';
import { decideAccess, principalFromClaims } from './access-rules';
import { ForbiddenProblem, UnauthorizedProblem } from './auth.problems';
import { IS_PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import type { Principal } from './principal';
import type { Role } from './roles';
import { TokenVerifier } from './token-verifier';

interface HttpRequestLike {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** Global guard (APP_GUARD): authenticates the bearer token and applies @Public / @Roles / auditor rules. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly cls: ClsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // Kafka handlers etc. are not HTTP-authenticated
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const req = context.switchToHttp().getRequest<HttpRequestLike>();
    const principal = await this.authenticate(req);
    req.principal = principal;
    if (this.cls.isActive()) this.cls.set(CLS_PRINCIPAL, principal);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const decision = decideAccess(principal, req.method, roles);
    if (!decision.allowed) throw new ForbiddenProblem(decision.text);
    return true;
  }

  private async authenticate(req: HttpRequestLike): Promise<Principal> {
    const header = req.headers.authorization;
    const value = Array.isArray(header) ? header[0] : header;
    const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
    if (!match) throw new UnauthorizedProblem(problemText('auth.tokenRequired'));
    let claims: Record<string, unknown>;
    try {
      claims = await this.verifier.verify(match[1]);
    } catch {
      throw new UnauthorizedProblem(problemText('auth.tokenInvalid'));
    }
    const principal = principalFromClaims(claims);
    if (typeof principal === 'string') throw new UnauthorizedProblem({ key: principal });
    return principal;
  }
}
