import { notFoundProblem } from '../problem/problem.exception';
import { Principal } from './principal';
import { isRole, READ_ONLY_METHODS, Role } from './roles';

export type AccessDecision = { allowed: true } | { allowed: false; status: 403; reason: string };

/**
 * Pure authorization rule for a non-public route: the route must declare roles (secure by default),
 * the principal's role must be among them, and an auditor may only read.
 */
export function decideAccess(
  principal: Principal,
  method: string,
  requiredRoles: readonly Role[] | undefined,
): AccessDecision {
  if (!requiredRoles || requiredRoles.length === 0) {
    return { allowed: false, status: 403, reason: 'This route declares no roles and is closed by default.' };
  }
  if (!requiredRoles.includes(principal.role)) {
    return { allowed: false, status: 403, reason: `Role '${principal.role}' may not use this route.` };
  }
  if (principal.role === 'auditor' && !READ_ONLY_METHODS.includes(method.toUpperCase())) {
    return { allowed: false, status: 403, reason: 'Auditors have read-only access.' };
  }
  return { allowed: true };
}

/** Builds a Principal from verified JWT claims; returns a reason string when the claims are unusable. */
export function principalFromClaims(claims: Record<string, unknown>): Principal | string {
  const { sub, role, dealer } = claims;
  if (typeof sub !== 'string' || sub.length === 0) return 'Token has no subject.';
  if (!isRole(role)) return 'Token has no valid role.';
  if (role === 'dealer') {
    if (typeof dealer !== 'string' || dealer.length === 0) return 'Dealer token has no dealer claim.';
    return { sub, role, dealerCode: dealer };
  }
  return typeof dealer === 'string' && dealer.length > 0 ? { sub, role, dealerCode: dealer } : { sub, role };
}

/**
 * Refuses a dealer principal access to another dealer's resource with a 404 (no existence leak).
 * Non-dealer roles pass.
 */
export function assertDealerAccess(principal: Principal | undefined, dealerCode: string): void {
  if (principal?.role === 'dealer' && principal.dealerCode !== dealerCode) {
    throw notFoundProblem();
  }
}

/**
 * Dealer filter for list endpoints: a dealer principal always gets its own code (whatever it asked for);
 * other roles get what they asked for (undefined = all dealers).
 */
export function dealerScope(principal: Principal | undefined, requested?: string): string | undefined {
  if (principal?.role === 'dealer') return principal.dealerCode;
  return requested && requested.length > 0 ? requested : undefined;
}
