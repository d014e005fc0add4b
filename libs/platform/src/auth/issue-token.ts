import { JwtService } from '@nestjs/jwt';
import type { Role } from './roles';

export interface TokenClaims {
  sub: string;
  role: Role;
  dealer?: string;
}

/** Signs an HS256 token (tests, demo script, local runs). `expiresIn` accepts '1h', '15m', or seconds. */
export function issueToken(
  secret: string,
  claims: TokenClaims,
  expiresIn: string | number = '1h',
  options: { issuer?: string; audience?: string } = {},
): string {
  const payload: Record<string, unknown> = { sub: claims.sub, role: claims.role };
  if (claims.dealer !== undefined) payload.dealer = claims.dealer;
  return new JwtService().sign(payload, {
    secret,
    algorithm: 'HS256',
    expiresIn: expiresIn as never,
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  });
}
