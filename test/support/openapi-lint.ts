import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Runs the public OpenAPI linters (Redocly `recommended`, Spectral `spectral:oas`) on a written document. */

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const CONFIG_DIR = join(ROOT, 'test', 'openapi');

export interface LintProblem {
  rule: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  where: string;
}

export interface LintCounts {
  errors: number;
  warnings: number;
  problems: LintProblem[];
}

/** A linter exits non-zero when it finds problems; its JSON report on stdout is what counts. */
async function runLinter(bin: string, args: string[]): Promise<string> {
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
  try {
    return (await run(process.execPath, [bin, ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (err) {
    const failed = err as { stdout?: string; stderr?: string };
    if (failed.stdout !== undefined && !failed.stderr?.includes('Error')) return failed.stdout;
    throw new Error(`${bin} failed: ${failed.stderr ?? String(err)}`);
  }
}

const count = (problems: LintProblem[]): LintCounts => ({
  errors: problems.filter((p) => p.severity === 'error').length,
  warnings: problems.filter((p) => p.severity === 'warning').length,
  problems,
});

interface RedoclyReport {
  problems: Array<{ ruleId: string; severity: string; message: string; location?: Array<{ pointer?: string }> }>;
}

export async function redoclyLint(file: string): Promise<LintCounts> {
  const bin = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
  const out = await runLinter(bin, ['lint', '--config', join(CONFIG_DIR, 'redocly.yaml'), '--format', 'json', file]);
  const report = JSON.parse(out.slice(out.indexOf('{'))) as RedoclyReport;
  return count(
    report.problems.map((p) => ({
      rule: p.ruleId,
      severity: p.severity === 'error' ? 'error' : p.severity === 'warn' ? 'warning' : 'info',
      message: p.message,
      where: p.location?.[0]?.pointer ?? '',
    })),
  );
}

interface SpectralResult {
  code: string;
  severity: number;
  message: string;
  path: string[];
}

export async function spectralLint(file: string): Promise<LintCounts> {
  const bin = join(ROOT, 'node_modules', '@stoplight', 'spectral-cli', 'dist', 'index.js');
  const report = `${file}.spectral.json`;
  await runLinter(bin, ['lint', '--ruleset', join(CONFIG_DIR, 'spectral.yaml'), '-f', 'json', '-o', report, file]);
  const results = JSON.parse(await readFile(report, 'utf8')) as SpectralResult[];
  return count(
    results.map((r) => ({
      rule: r.code,
      severity: r.severity === 0 ? 'error' : r.severity === 1 ? 'warning' : 'info',
      message: r.message,
      where: r.path.join('.'),
    })),
  );
}

type Doc = { paths: Record<string, Record<string, Record<string, unknown>>>; components?: unknown };

/**
 * What the linters do not check but the contract promises: every operation summarised and
 * described, its success answers typed, every parameter described, no optional filter example
 * that Swagger UI would pre-fill, and no JSON `number` (counts are integers, money is a string).
 */
export function contractGaps(doc: Doc): string[] {
  const gaps: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const at = `${method.toUpperCase()} ${path}`;
      if (!op.summary || !op.description) gaps.push(`${at}: summary or description missing`);
      if (typeof op.operationId !== 'string' || op.operationId.includes('_')) gaps.push(`${at}: operationId`);
      for (const [status, res] of Object.entries(op.responses as Record<string, { content?: object }>)) {
        const typed = res.content && Object.values(res.content).every((m: { schema?: unknown }) => m.schema);
        if (status.startsWith('2') && status !== '204' && !typed) gaps.push(`${at}: ${status} has no schema`);
      }
      for (const p of (op.parameters ?? []) as Array<Record<string, unknown>>) {
        if (!p.description) gaps.push(`${at}: parameter ${String(p.name)} not described`);
        const example = p.example ?? (p.schema as { example?: unknown } | undefined)?.example;
        if (!p.required && example !== undefined) gaps.push(`${at}: optional ${String(p.name)} pre-filled`);
      }
    }
  }
  if (/"type":"number"/.test(JSON.stringify(doc))) gaps.push('a schema uses type number');
  return gaps;
}
