/** Figures printed beside their reference, with the ratio and the aim. */

export interface Row {
  work: string;
  measured: string;
  reference?: string;
  ratio?: number;
  aim?: string;
}

export const ms = (v: number): string => `${v.toFixed(1)} ms`;
export const perSecond = (v: number): string => `${Math.round(v).toLocaleString('en-US')}/s`;

export function printTable(bench: string, rows: Row[]): void {
  const cells = rows.map((r) => [
    r.work,
    r.measured,
    r.reference ?? '—',
    r.ratio === undefined ? '—' : r.ratio.toFixed(2),
    r.aim ?? '',
  ]);
  const head = ['work', 'measured', 'reference (same run)', 'ratio', 'aim'];
  const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(width[i])).join(' | ')} |`;
  const out = [line(head), `|${width.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)];
  process.stdout.write(`\n[bench:${bench}] results\n${out.join('\n')}\n\n`);
}
