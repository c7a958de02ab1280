// Disclosure audits of published tables (issue 11), as an outsider would attack them: the
// suppression pattern of a protected answer is laid over the true figures (an exact view of the
// same records), and for every suppressed element linear programming (glpsol, Debian
// glpk-utils) finds the least and the greatest value consistent with every published figure and
// every equation of the table (cells add up to their row and column totals). Published figures
// are taken as exact, which is stricter than reality (they are perturbed).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The (R + 1) x (C + 1) grid of a /stats/table answer: inner cells, each row's total in column C,
 * each column's total in row R, the grand total at (R, C). A table of one dimension has C = 1.
 * Elements are {value, suppressed}.
 */
export function gridOf(t) {
  const R = t.row_totals.length;
  const two = t.col_totals.length > 0;
  const C = two ? t.col_totals.length : 1;
  const g = [];
  for (let i = 0; i <= R; i++) g.push(new Array(C + 1));
  const fig = (x) => ({ value: x.value, suppressed: x.suppressed });
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < C; j++) g[i][j] = fig(t.cells[i * C + j]);
    g[i][C] = fig(t.row_totals[i]);
  }
  for (let j = 0; j < C; j++) g[R][j] = fig(two ? t.col_totals[j] : t.total);
  g[R][C] = fig(t.total);
  return g;
}

function lpRange(g, truth, target) {
  const R = g.length - 1, C = g[0].length - 1;
  const v = (i, j) => `x_${i}_${j}`;
  const constraints = [];
  for (let i = 0; i <= R; i++) {
    const terms = [];
    for (let j = 0; j < C; j++) terms.push(`+ ${v(i, j)}`);
    constraints.push(`r${i}: ${terms.join(' ')} - ${v(i, C)} = 0`);
  }
  for (let j = 0; j <= C; j++) {
    const terms = [];
    for (let i = 0; i < R; i++) terms.push(`+ ${v(i, j)}`);
    constraints.push(`c${j}: ${terms.join(' ')} - ${v(R, j)} = 0`);
  }
  const bounds = [];
  for (let i = 0; i <= R; i++) {
    for (let j = 0; j <= C; j++) {
      bounds.push(g[i][j].suppressed ? `${v(i, j)} >= 0` : `${v(i, j)} = ${truth[i][j]}`);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'fairdesk-lp-'));
  try {
    const solve = (sense) => {
      const file = join(dir, `${sense}.lp`);
      const out = join(dir, `${sense}.txt`);
      writeFileSync(file, `${sense}\n obj: ${v(...target)}\nSubject To\n ${constraints.join('\n ')}\nBounds\n ${bounds.join('\n ')}\nEnd\n`);
      let log;
      try {
        log = execFileSync('glpsol', ['--lp', file, '-o', out], { encoding: 'utf8' });
      } catch (e) {
        throw new Error(`glpsol failed: ${e.stdout ?? e.message}`);
      }
      if (/UNBOUNDED/.test(log)) return sense === 'Maximize' ? Infinity : -Infinity;
      if (/NO PRIMAL FEASIBLE/.test(log)) throw new Error('the published figures are inconsistent with the truth');
      const m = /Objective:\s+obj = (-?[\d.e+-]+)/.exec(readFileSync(out, 'utf8'));
      if (!m) throw new Error(`no objective in ${readFileSync(out, 'utf8')}`);
      return Number(m[1]);
    };
    return [solve('Minimize'), solve('Maximize')];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Attacks a protected table whose true figures are known: returns a list of findings (empty when
 * safe). Counts: a suppressed true figure of 1-4 must be able to range at least from 0 to 5; any
 * other suppressed figure must not be determined (its range at least `minWidth`, 5 for counts).
 * Sums (kind 'sum'): no suppressed figure may be narrowed to less than `minWidth` (cents).
 */
export function auditTable(protectedTable, exactTable, { kind = 'count', minWidth = kind === 'count' ? 5 : 1 } = {}) {
  const g = gridOf(protectedTable);
  const truth = gridOf(exactTable).map((row) => row.map((x) => x.value));
  const findings = [];
  for (let i = 0; i < g.length; i++) {
    for (let j = 0; j < g[i].length; j++) {
      if (!g[i][j].suppressed) continue;
      const [lo, hi] = lpRange(g, truth, [i, j]);
      const t = truth[i][j];
      const small = kind === 'count' && t >= 1 && t <= 4;
      if (small && (lo > 1e-6 || hi < 5 - 1e-6)) findings.push({ at: [i, j], truth: t, range: [lo, hi], why: 'small figure narrowed' });
      else if (hi - lo < minWidth - 1e-6) findings.push({ at: [i, j], truth: t, range: [lo, hi], why: 'determined' });
    }
  }
  return findings;
}
