import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { JwksClient } from 'jwks-rsa';
import { SERVICE_CONFIG, ServiceConfig } from '../config/service-config';

/**
 * Verifies a bearer JWT: HS256 with AUTH_JWT_SECRET, or RS256 with a key from AUTH_JWKS_URL;
 * issuer and audience are checked when configured. Resolves to the claims, rejects on any failure.
 */
@Injectable()
export class TokenVerifier {
  private readonly jwt = new JwtService();
  private readonly jwks?: JwksClient;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {
    if (config.auth.jwksUrl) {
      this.jwks = new JwksClient({ jwksUri: config.auth.jwksUrl, cache: true, rateLimit: true, jwksRequestsPerMinute: 10 });
    }
  }

  async verify(token: string): Promise<Record<string, unknown>> {
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
    return this.jwt.verifyAsync<Record<string, unknown>>(token, {
      secret: jwtSecret,
      algorithms: ['HS256'],
      ...common,
    });
  }
}
