import type { Client } from '@temporalio/client';
import type { Config } from '../../src/config';
import type { CpuGroups } from './procs';
import type { BenchDatabase, BenchTemporal, MailSink } from './stack';

export interface Target {
  op: '>=' | '<=';
  value: number;
  /** `issue`: the issue's own target; `bench`: a bound this benchmark sets where the issue gives none. */
  source: 'issue' | 'bench';
}

export interface Figure {
  label: string;
  value: number;
  unit: string;
  target?: Target;
  /** Free text shown beside the figure (the conditions it was measured under). */
  note?: string;
}

export interface ScenarioResult {
  id: number;
  title: string;
  /** How the scenario was run: sizes, concurrency, durations. */
  setup: string;
  figures: Figure[];
  /** Markdown paragraphs: where the time goes, and for each missed target why and what would move it. */
  analysis: string[];
  details: Record<string, unknown>;
}

export interface BenchContext {
  quick: boolean;
  db: BenchDatabase;
  temporal: BenchTemporal;
  /** A client made the way the service makes its own (connectClient: search attributes, payload codec). */
  temporalClient: Client;
  mail: MailSink;
  apiUrl: string;
  apiPid: number;
  workerPid: number;
  /** The configuration the API and worker processes run with. */
  config: Config;
  /** The environment given to the API and worker processes. */
  serviceEnv: Record<string, string>;
  groups: CpuGroups;
  /** One more API process with these settings (its CPU counts as the API's); stop it when done. */
  startExtraApi(overrides: Record<string, string>): Promise<{ url: string; pid: number; stop(): Promise<void> }>;
  log(message: string): void;
}

/** How far a figure is from its target: ≥ 1 means met (value/target for ≥, target/value for ≤). */
export function attainment(figure: Figure): number | undefined {
  if (!figure.target) return undefined;
  const { op, value } = figure.target;
  if (op === '>=') return figure.value / value;
  return figure.value === 0 ? Number.POSITIVE_INFINITY : value / figure.value;
}

export function met(figure: Figure): boolean | undefined {
  const ratio = attainment(figure);
  return ratio === undefined ? undefined : ratio >= 1;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function formatValue(value: number, unit: string): string {
  return unit === '' ? formatNumber(value) : `${formatNumber(value)} ${unit}`;
}

export function formatTarget(figure: Figure): string {
  if (!figure.target) return '—';
  const mark = figure.target.source === 'bench' ? ' (bench)' : '';
  return `${figure.target.op === '>=' ? '≥' : '≤'} ${formatValue(figure.target.value, figure.unit)}${mark}`;
}

export function formatAttainment(figure: Figure): string {
  const ratio = attainment(figure);
  if (ratio === undefined) return '—';
  return `${ratio === Number.POSITIVE_INFINITY ? '∞' : ratio.toFixed(2)} ${ratio >= 1 ? 'met' : 'MISSED'}`;
}

/** The console table: one row per figure. */
export function consoleTable(results: ScenarioResult[]): string {
  const rows: string[][] = [['#', 'figure', 'value', 'target', 'vs target']];
  for (const result of results) {
    for (const figure of result.figures) {
      rows.push([
        String(result.id),
        figure.label,
        formatValue(figure.value, figure.unit),
        formatTarget(figure),
        formatAttainment(figure),
      ]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  return [line(rows[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export interface Environment {
  date: string;
  mode: 'full' | 'quick';
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  temporal: string;
  temporalSdk: string;
  autocannon: string;
  commit: string;
  /** Set by `--only`: the scenarios re-measured in this run; the others' figures come from the run before, with its own machine and load. */
  remeasured?: number[];
  durationSeconds: number;
  /** Share of the CPU busy with other work just before the run (0–1). */
  backgroundLoad: number;
  serviceConfig: Record<string, string>;
}

const escapeCell = (text: string) => text.replaceAll('|', '\\|');

export function markdownReport(environment: Environment, results: ScenarioResult[]): string {
  const lines: string[] = [];
  lines.push('# Benchmarks');
  lines.push('');
  lines.push(
    'Written by `npm run bench` (bench/run.ts); the raw numbers are in `bench/results.json`. These are ' +
      'benchmarks, not tests: they report figures and how far each is from its target, and never fail a build. ' +
      'Each scenario warms the service up first, then measures. The load generator (autocannon) runs in a ' +
      'process of its own; the API and the worker run as the separate processes `npm run start:api` and ' +
      '`npm run start:worker` start, against PostgreSQL and a Temporal dev server started for the run.',
  );
  lines.push('');
  lines.push('## Machine and versions');
  lines.push('');
  lines.push('| | |');
  lines.push('| --- | --- |');
  lines.push(`| date | ${environment.date} (${environment.mode} run, ${Math.round(environment.durationSeconds)} s) |`);
  lines.push(`| CPU | ${environment.cpus} × ${escapeCell(environment.cpuModel)} |`);
  lines.push(`| memory | ${environment.memoryGiB.toFixed(0)} GiB |`);
  lines.push(
    `| other work on the machine | ${Math.round(100 * environment.backgroundLoad)}% of the CPU busy just before the run; each scenario's CPU split below shows it as "other" |`,
  );
  lines.push(`| Node.js | ${environment.node} |`);
  lines.push(
    `| PostgreSQL | ${environment.postgres} (${Object.entries(environment.postgresSettings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}) |`,
  );
  lines.push(`| Temporal | ${escapeCell(environment.temporal)}; TypeScript SDK ${environment.temporalSdk} |`);
  lines.push(`| autocannon | ${environment.autocannon} |`);
  lines.push(`| commit | ${environment.commit} |`);
  if (environment.remeasured) {
    lines.push(
      `| scenarios measured in this run | ${environment.remeasured.join(', ')} (the others keep the figures of an earlier run, on that run's machine and load) |`,
    );
  }
  lines.push(
    `| service configuration | ${Object.entries(environment.serviceConfig)
      .map(([k, v]) => `\`${k}=${v}\``)
      .join(', ')} |`,
  );
  lines.push('');
  lines.push('## Summary');
  lines.push('');
  lines.push(
    '"vs target" is value ÷ target for a floor (≥) and target ÷ value for a ceiling (≤): 1.00 or more meets it. ',
  );
  lines.push('Targets marked (bench) are bounds this benchmark sets where the issue names none.');
  lines.push('');
  lines.push('| # | figure | value | target | vs target |');
  lines.push('| --- | --- | --- | --- | --- |');
  for (const result of results) {
    for (const figure of result.figures) {
      lines.push(
        `| ${result.id} | ${escapeCell(figure.label)} | ${formatValue(figure.value, figure.unit)} | ${formatTarget(figure)} | ${formatAttainment(figure)} |`,
      );
    }
  }
  for (const result of results) {
    lines.push('');
    lines.push(`## ${result.id}. ${result.title}`);
    lines.push('');
    lines.push(result.setup);
    lines.push('');
    lines.push('| figure | value | target | vs target | conditions |');
    lines.push('| --- | --- | --- | --- | --- |');
    for (const figure of result.figures) {
      lines.push(
        `| ${escapeCell(figure.label)} | ${formatValue(figure.value, figure.unit)} | ${formatTarget(figure)} | ${formatAttainment(figure)} | ${escapeCell(figure.note ?? '')} |`,
      );
    }
    for (const paragraph of result.analysis) {
      lines.push('');
      lines.push(paragraph);
    }
  }
  lines.push('');
  return lines.join('\n');
}
