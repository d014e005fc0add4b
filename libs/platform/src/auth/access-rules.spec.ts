import { ProblemException } from '../problem/problem.exception';
import { assertDealerAccess, dealerScope, decideAccess, principalFromClaims } from './access-rules';
import { Principal } from './principal';
import { ALL_ROLES, Role } from './roles';

const dealer: Principal = { sub: 'u1', role: 'dealer', dealerCode: 'D001' };
const finance: Principal = { sub: 'u2', role: 'finance' };
const auditor: Principal = { sub: 'u3', role: 'auditor' };

describe('decideAccess', () => {
  it('refuses routes without roles (secure by default)', () => {
    expect(decideAccess(finance, 'GET', undefined)).toMatchObject({ allowed: false, status: 403 });
    expect(decideAccess(finance, 'GET', [])).toMatchObject({ allowed: false });
  });

  it('allows listed roles only', () => {
    expect(decideAccess(finance, 'POST', ['finance'])).toEqual({ allowed: true });
    expect(decideAccess(dealer, 'POST', ['finance', 'admin'])).toMatchObject({ allowed: false });
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'post'])('refuses auditor %s even when listed', (method) => {
    expect(decideAccess(auditor, method, [...ALL_ROLES])).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/read-only/),
    });
  });

  it.each(['GET', 'HEAD'])('lets auditors %s', (method) => {
    expect(decideAccess(auditor, method, ['auditor'])).toEqual({ allowed: true });
  });

  it('exposes the Role constants', () => {
    expect(Role.AfterSales).toBe('after-sales');
    expect(ALL_ROLES).toEqual(['dealer', 'finance', 'after-sales', 'auditor', 'admin']);
  });
});

describe('principalFromClaims', () => {
  it('maps sub, role and dealer', () => {
    expect(principalFromClaims({ sub: 'u1', role: 'dealer', dealer: 'D001' })).toEqual(dealer);
    expect(principalFromClaims({ sub: 'u2', role: 'finance' })).toEqual(finance);
  });

  it('rejects dealer tokens without dealer claim, unknown roles and missing subjects', () => {
    expect(typeof principalFromClaims({ sub: 'u1', role: 'dealer' })).toBe('string');
    expect(typeof principalFromClaims({ sub: 'u1', role: 'root' })).toBe('string');
    expect(typeof principalFromClaims({ role: 'admin' })).toBe('string');
  });
});

describe('assertDealerAccess', () => {
  it('passes own dealer and non-dealer roles', () => {
    expect(() => assertDealerAccess(dealer, 'D001')).not.toThrow();
    expect(() => assertDealerAccess(finance, 'D999')).not.toThrow();
  });

  it("answers 404 for another dealer's resource", () => {
    try {
      assertDealerAccess(dealer, 'D002');
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(ProblemException);
      expect((e as ProblemException).getStatus()).toBe(404);
      expect((e as ProblemException).type).toMatch(/\/not-found$/);
    }
  });
});

describe('dealerScope', () => {
  it('forces dealers to their own code', () => {
    expect(dealerScope(dealer)).toBe('D001');
    expect(dealerScope(dealer, 'D002')).toBe('D001');
  });

  it('lets other roles choose, undefined meaning all', () => {
    expect(dealerScope(finance, 'D002')).toBe('D002');
    expect(dealerScope(finance)).toBeUndefined();
    expect(dealerScope(finance, '')).toBeUndefined();
  });
});
