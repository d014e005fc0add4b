import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { JwksClient } from 'jwks-rsa';
import { SERVICE_CONFIG, ServiceConfig } from '../config/service-config';

/** How many verified tokens are remembered (the oldest is forgotten first). */
const REMEMBERED_TOKENS = 10_000;

/**
 * Verifies a bearer JWT: HS256 with AUTH_JWT_SECRET, or RS256 with a key from AUTH_JWKS_URL;
 * issuer and audience are checked when configured. Resolves to the claims, rejects on any failure.
 *
 * A dealer sends the same token with every request of its session: a token verified once is
 * remembered, with its claims, until its `exp` (a token without `exp` is verified every time).
 */
@Injectable()
export class TokenVerifier {
  private readonly jwt: JwtService;
  private readonly jwks?: JwksClient;
  private readonly verified = new Map<string, { claims: Record<string, unknown>; expiresAtMs: number }>();

  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {
    const { jwksUrl, jwtSecret } = config.auth;
    if (jwksUrl)
      this.jwks = new JwksClient({ jwksUri: jwksUrl, cache: true, rateLimit: true, jwksRequestsPerMinute: 10 });
    // The HS256 key as a KeyObject, made once: given the secret as a string, jsonwebtoken first
    // tries (and fails) to parse it as a public key on every request, about 0.3 ms each.
    this.jwt = new JwtService(!jwksUrl && jwtSecret ? { secret: createSecretKey(Buffer.from(jwtSecret)) } : {});
  }

  async verify(token: string): Promise<Record<string, unknown>> {
    const known = this.verified.get(token);
    if (known && Date.now() < known.expiresAtMs) return known.claims;
    if (known) this.verified.delete(token);
    const claims = await this.verifySignature(token);
    if (typeof claims.exp === 'number') {
      if (this.verified.size >= REMEMBERED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { claims: Object.freeze(claims), expiresAtMs: claims.exp * 1000 });
    }
    return claims;
  }

  private async verifySignature(token: string): Promise<Record<string, unknown>> {
    const { issuer, audience, jwtSecret } = this.config.auth;
    const common = { ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}) };
    if (this.jwks) {
      const decoded = this.jwt.decode<{ header?: { kid?: string } } | null>(token, { complete: true });
      const kid = decoded?.header?.kid;
      const key = await this.jwks.getSigningKey(kid);
      return this.jwt.verifyAsync<Record<string, unknown>>(token, {
        publicKey: key.getPublicKey(),
        algorithms: ['RS256'],
        ...common,
      });
    }
    if (!jwtSecret) throw new Error('no AUTH_JWT_SECRET or AUTH_JWKS_URL configured');
    return this.jwt.verifyAsync<Record<string, unknown>>(token, { algorithms: ['HS256'], ...common });
  }
}
