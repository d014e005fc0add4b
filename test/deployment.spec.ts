/**
 * The deployment files cannot be run here (no Docker engine), so they are checked by
 * reading: docker-compose.yml is parsed, its ${VAR} interpolation resolved as Compose
 * does, and every service's environment goes through the services' real config validator.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadServiceConfig } from '@app/platform';
import { CJK_FONTS } from '../apps/settlement/src/exports/statement-pdf';

type ServiceName = 'dealers' | 'requisitions' | 'returns' | 'settlement';
const SERVICES: ServiceName[] = ['dealers', 'requisitions', 'returns', 'settlement'];
const PORTS: Record<ServiceName, number> = { dealers: 3001, requisitions: 3002, returns: 3003, settlement: 3004 };
const ROOT = join(__dirname, '..');

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Record<string, string> | string[] };
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: string[];
  ports?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
}
interface Compose {
  services: Record<string, ComposeService>;
}

/** Compose variable interpolation: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, $$. */
function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (match === '$$') return '$';
      if (bare) return vars[bare] ?? '';
      const value = vars[name!];
      const unset = op?.startsWith(':') ? value === undefined || value === '' : value === undefined;
      if (op === ':-' || op === '-') return unset ? interpolate(arg ?? '', vars) : value!;
      if (op === ':?' || op === '?') {
        if (unset) throw new Error(`required variable ${name} is missing: ${arg}`);
        return value!;
      }
      return value ?? '';
    },
  );
}

const composeText = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const deployEnv = { AUTH_JWT_SECRET: 'a-deployment-secret-of-at-least-32-characters' };
const compose = parse(interpolate(composeText, deployEnv)) as Compose;

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((line) => {
        const eq = line.indexOf('=');
        return eq < 0 ? [line, ''] : [line.slice(0, eq), line.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function dependsOn(service: ComposeService): Record<string, string | undefined> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, undefined]));
  return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v?.condition]));
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL 16', () => {
    expect(compose.services.postgres?.image).toMatch(/^postgres:16(\.|-|$)/);
    expect(compose.services.postgres.healthcheck?.test).toBeDefined();
  });

  it('runs Apache Kafka in KRaft mode, reachable at kafka:9092, with topic auto-creation', () => {
    const kafka = compose.services.kafka;
    expect(kafka?.image).toMatch(/^apache\/kafka:/);
    const env = environmentOf(kafka);
    expect(env.KAFKA_PROCESS_ROLES?.split(',').sort()).toEqual(['broker', 'controller']);
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBeTruthy();
    expect(env.KAFKA_CONTROLLER_LISTENER_NAMES).toBeTruthy();
    expect(env.KAFKA_ADVERTISED_LISTENERS).toContain('//kafka:9092');
    expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('true');
    expect(env.KAFKA_ZOOKEEPER_CONNECT).toBeUndefined();
    for (const [name, service] of Object.entries(compose.services)) {
      expect(`${name} ${service.image ?? ''}`).not.toMatch(/zookeeper/i);
    }
    expect(kafka.healthcheck?.test).toBeDefined();
  });

  it("mounts an init script that creates every service's database", () => {
    const mount = (compose.services.postgres.volumes ?? []).find((v) => v.includes('/docker-entrypoint-initdb.d/'));
    expect(mount).toBeDefined();
    const script = join(ROOT, mount!.split(':')[0]);

    // Run the script with a stand-in psql that records its arguments.
    const dir = mkdtempSync(join(tmpdir(), 'init-db-'));
    try {
      const log = join(dir, 'psql.log');
      writeFileSync(join(dir, 'psql'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${log}"\n`, { mode: 0o755 });
      execFileSync('bash', [script], {
        env: { PATH: `${dir}:${process.env.PATH}`, POSTGRES_USER: 'postgres' },
        stdio: 'pipe',
      });
      const calls = readFileSync(log, 'utf8');
      for (const db of SERVICES) expect(calls).toMatch(new RegExp(`CREATE DATABASE "?${db}"?(\\s|$)`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('requires AUTH_JWT_SECRET from the deployment (no built-in secret)', () => {
    expect(() => interpolate(composeText, {})).toThrow(/AUTH_JWT_SECRET/);
  });

  describe.each(SERVICES)('service %s', (name) => {
    const service = compose.services[name];
    const env = () => environmentOf(service);

    it('is built from the Dockerfile for this service', () => {
      expect(service).toBeDefined();
      const build = typeof service.build === 'string' ? { context: service.build } : service.build;
      expect(build?.context).toBe('.');
      const args = build?.args;
      const serviceArg = Array.isArray(args) ? args.find((a) => a.startsWith('SERVICE='))?.slice(8) : args?.SERVICE;
      expect(serviceArg).toBe(name);
    });

    it("passes the service's config validator", () => {
      const config = loadServiceConfig(name, env());
      expect(config.port).toBe(PORTS[name]);
      expect(config.kafka.brokers).toEqual(['kafka:9092']);
      expect(config.kafka.idempotentProducer).toBe(true);
      expect(config.auth.jwtSecret).toBe(deployEnv.AUTH_JWT_SECRET);
    });

    it('uses its own database on the postgres service', () => {
      const url = new URL(env().DATABASE_URL);
      expect(url.protocol).toMatch(/^postgres(ql)?:$/);
      expect(url.hostname).toBe('postgres');
      expect(url.port || '5432').toBe('5432');
      expect(url.pathname).toBe(`/${name}`);
    });

    it('publishes its port and waits for healthy PostgreSQL and Kafka', () => {
      expect(service.ports ?? []).toContain(`${PORTS[name]}:${PORTS[name]}`);
      const deps = dependsOn(service);
      expect(deps.postgres).toBe('service_healthy');
      expect(deps.kafka).toBe('service_healthy');
    });
  });

  it("settlement's Swagger UI lists the other three services' specs", () => {
    const config = loadServiceConfig('settlement', environmentOf(compose.services.settlement));
    expect(config.docsPeers.map((p) => p.name).sort()).toEqual(['dealers', 'requisitions', 'returns']);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('builds one service chosen by ARG SERVICE on Node 20 and runs it as a non-root user', () => {
    expect(dockerfile).toMatch(/node:20-bookworm-slim/);
    expect(dockerfile).toMatch(/^ARG SERVICE$/m);
    expect(dockerfile).toMatch(/nest build "\$\{SERVICE\}"/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/health/m);
    expect(dockerfile).toMatch(/^CMD \["node", /m);
  });

  it('R-SET-9 the runtime image has the CJK font the statement PDFs look for first', () => {
    const runtime = dockerfile.slice(dockerfile.indexOf(' AS runtime'));
    expect(runtime).toMatch(/apt-get install -y --no-install-recommends fonts-wqy-microhei/);
    expect(CJK_FONTS[0].path).toBe('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc');
  });
});
