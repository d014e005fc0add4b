import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ClsServiceManager } from 'nestjs-cls';
import { CLS_PRINCIPAL } from '../context/context.constants';
import type { Principal } from './principal';
import type { Role } from './roles';

export const IS_PUBLIC_KEY = 'platform:isPublic';
export const ROLES_KEY = 'platform:roles';

/** Route or controller reachable without a token (health, metrics, docs). */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * Roles allowed on a route or controller; a route with neither @Public nor @Roles is refused (403).
 * The OpenAPI document lists them as the operation's `x-roles`.
 */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension('x-roles', roles));

/** Injects the authenticated Principal (undefined on public routes). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal | undefined => {
  const req = ctx.switchToHttp().getRequest<{ principal?: Principal }>();
  if (req?.principal) return req.principal;
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? cls.get<Principal>(CLS_PRINCIPAL) : undefined;
});
