import { english, MessageRef } from '../i18n/catalogue';
import { notFoundProblem, problemText } from '../problem/problem.exception';
import { Principal } from './principal';
import { isRole, READ_ONLY_METHODS, Role } from './roles';

/** A refusal says why in English (`reason`) and by its catalogue key (`text`), which the problem is written from. */
export type AccessDecision = { allowed: true } | { allowed: false; status: 403; reason: string; text: MessageRef };

function refused(text: MessageRef): AccessDecision {
  return { allowed: false, status: 403, reason: english(text.key, text.args), text };
}

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
    return refused(problemText('auth.noRoles'));
  }
  if (!requiredRoles.includes(principal.role)) {
    return refused(problemText('auth.roleRefused', { role: principal.role }));
  }
  if (principal.role === 'auditor' && !READ_ONLY_METHODS.includes(method.toUpperCase())) {
    return refused(problemText('auth.auditorReadOnly'));
  }
  return { allowed: true };
}

/** Builds a Principal from verified JWT claims; returns the catalogue key of the reason when the claims are unusable. */
export function principalFromClaims(claims: Record<string, unknown>): Principal | string {
  const { sub, role, dealer } = claims;
  if (typeof sub !== 'string' || sub.length === 0) return problemText('auth.noSubject').key;
  if (!isRole(role)) return problemText('auth.noRole').key;
  if (role === 'dealer') {
    if (typeof dealer !== 'string' || dealer.length === 0) return problemText('auth.noDealer').key;
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
