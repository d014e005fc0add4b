import { generateKeyPairSync } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { JwtService } from '@nestjs/jwt';
import { loadServiceConfig } from '../config/load-service-config';
import { issueToken } from './issue-token';
import { TokenVerifier } from './token-verifier';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1/x', KAFKA_BROKERS: 'localhost:9092' };

describe('TokenVerifier', () => {
  describe('HS256', () => {
    const secret = 'local-development-secret-please-change';
    const verifier = new TokenVerifier(
      loadServiceConfig('dealers', {
        ...base,
        AUTH_JWT_SECRET: secret,
        AUTH_JWT_ISSUER: 'iss',
        AUTH_JWT_AUDIENCE: 'aud',
      }),
    );

    it('accepts a token with matching issuer and audience', async () => {
      const token = issueToken(secret, { sub: 'u', role: 'dealer', dealer: 'D1' }, '5m', {
        issuer: 'iss',
        audience: 'aud',
      });
      await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'u', role: 'dealer', dealer: 'D1' });
    });

    it('rejects wrong issuer, wrong secret and expired tokens', async () => {
      await expect(
        verifier.verify(issueToken(secret, { sub: 'u', role: 'admin' }, '5m', { issuer: 'x', audience: 'aud' })),
      ).rejects.toThrow();
      await expect(
        verifier.verify(
          issueToken('y'.repeat(32), { sub: 'u', role: 'admin' }, '5m', { issuer: 'iss', audience: 'aud' }),
        ),
      ).rejects.toThrow();
      await expect(
        verifier.verify(issueToken(secret, { sub: 'u', role: 'admin' }, -10, { issuer: 'iss', audience: 'aud' })),
      ).rejects.toThrow();
    });
  });

  describe('remembering verified tokens', () => {
    const secret = 'local-development-secret-please-change';
    afterEach(() => jest.useRealTimers());

    it('verifies a token once and answers the same claims until it expires, then refuses it', async () => {
      jest.useFakeTimers({ now: new Date('2026-11-30T02:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
      const verifier = new TokenVerifier(loadServiceConfig('dealers', { ...base, AUTH_JWT_SECRET: secret }));
      const signature = jest.spyOn(verifier as unknown as { verifySignature: () => unknown }, 'verifySignature');
      const token = issueToken(secret, { sub: 'u', role: 'dealer', dealer: 'D1' }, '5m');
      const first = await verifier.verify(token);
      const second = await verifier.verify(token);
      expect(second).toEqual(first);
      expect(signature).toHaveBeenCalledTimes(1);
      jest.setSystemTime(new Date('2026-11-30T02:05:01Z'));
      await expect(verifier.verify(token)).rejects.toThrow();
      expect(signature).toHaveBeenCalledTimes(2);
    });

    it('never remembers a refused token', async () => {
      const verifier = new TokenVerifier(loadServiceConfig('dealers', { ...base, AUTH_JWT_SECRET: secret }));
      const forged = issueToken('f'.repeat(32), { sub: 'u', role: 'admin' }, '5m');
      await expect(verifier.verify(forged)).rejects.toThrow();
      await expect(verifier.verify(forged)).rejects.toThrow();
    });
  });

  describe('RS256 via JWKS', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' };
    let server: Server;
    let url: string;

    beforeAll(async () => {
      server = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it('verifies RS256 tokens with the key from the JWKS and refuses HS256 ones', async () => {
      const verifier = new TokenVerifier(loadServiceConfig('settlement', { ...base, AUTH_JWKS_URL: url }));
      const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
      const token = new JwtService().sign(
        { sub: 'u', role: 'finance' },
        { privateKey: pem, algorithm: 'RS256', keyid: 'k1', expiresIn: 60 },
      );
      await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'u', role: 'finance' });
      await expect(verifier.verify(issueToken('z'.repeat(32), { sub: 'u', role: 'admin' }))).rejects.toThrow();
    });
  });
});
