import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/temporal/binaries';
import { webBuildIsStale } from '../../src/dev/web-build';
import { createAccounts } from '../lib/fixtures';
import { summarize } from '../lib/measure';
import { type BenchContext, formatNumber, type ScenarioResult } from '../lib/report';
import { buildPanel } from '../lib/web-build';
import { BENCH_PASSWORD } from './login';

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const LIGHTHOUSE_CLI = path.join(PROJECT_ROOT, 'node_modules', 'lighthouse', 'cli', 'index.js');
const PAGE = '/settings/account';
/** Where the median run's full report is kept (reports/ is not committed). */
const KEPT_REPORT = path.join(PROJECT_ROOT, 'reports', 'lighthouse-edit-account');
const METRICS = {
  'first-contentful-paint': 'FCP',
  'largest-contentful-paint': 'LCP',
  'total-blocking-time': 'TBT',
  'cumulative-layout-shift': 'CLS',
  'speed-index': 'Speed Index',
} as const;
type Metric = keyof typeof METRICS;

interface Audit {
  title: string;
  score: number | null;
  scoreDisplayMode: string;
  numericValue?: number;
  displayValue?: string;
}
interface Report {
  lighthouseVersion: string;
  finalDisplayedUrl: string;
  runWarnings: string[];
  runtimeError?: { message: string };
  environment: { hostUserAgent: string };
  configSettings: {
    formFactor: string;
    throttlingMethod: string;
    throttling: { rttMs: number; throughputKbps: number; cpuSlowdownMultiplier: number };
  };
  categories: Record<string, { score: number | null; auditRefs: Array<{ id: string; weight: number }> }>;
  audits: Record<string, Audit>;
}

interface Run {
  performance: number;
  accessibility: number;
  metrics: Record<Metric, number>;
  /** What keeps a score from 100: the audits of the two categories that did not pass. */
  failing: Array<{ category: string; id: string; title: string; score: number; displayValue?: string }>;
}

/** A signed-in panel session, as the panel gets it: POST /v1/auth/login asking for a cookie. */
async function signIn(apiUrl: string, email: string): Promise<string> {
  const response = await fetch(`${apiUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-transport': 'cookie', origin: apiUrl },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  const session = response.headers.getSetCookie().find((cookie) => cookie.startsWith('session='));
  if (!response.ok || !session)
    throw new Error(`sign-in for Lighthouse answered ${response.status} without a session cookie`);
  return session.split(';')[0]!;
}

async function lighthouse(
  url: string,
  cookie: string,
  folder: string,
  name: string,
  extraArgs: string[] = [],
): Promise<Report> {
  const headers = path.join(folder, 'headers.json');
  writeFileSync(headers, JSON.stringify({ Cookie: cookie }), { mode: 0o600 });
  const output = path.join(folder, name);
  await promisify(execFile)(
    process.execPath,
    [
      LIGHTHOUSE_CLI,
      url,
      '--output=json',
      '--output=html',
      `--output-path=${output}`,
      '--only-categories=performance,accessibility',
      `--chrome-flags=${CHROME_FLAGS.join(' ')}`,
      `--extra-headers=${headers}`,
      '--quiet',
      ...extraArgs,
    ],
    { cwd: PROJECT_ROOT, env: { ...process.env, CHROME_PATH: CHROMIUM }, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(readFileSync(`${output}.report.json`, 'utf8')) as Report;
}

function runOf(report: Report): Run {
  if (report.runtimeError) throw new Error(`Lighthouse: ${report.runtimeError.message}`);
  // A session the page did not accept sends it to Sign in: that would measure the wrong page.
  if (!report.finalDisplayedUrl.endsWith(PAGE)) throw new Error(`Lighthouse ended on ${report.finalDisplayedUrl}`);
  const failing: Run['failing'] = [];
  for (const category of ['performance', 'accessibility']) {
    for (const ref of report.categories[category]!.auditRefs) {
      const audit = report.audits[ref.id]!;
      if (audit.score === null || audit.score >= 0.9 || audit.scoreDisplayMode === 'informative') continue;
      failing.push({ category, id: ref.id, title: audit.title, score: audit.score, displayValue: audit.displayValue });
    }
  }
  return {
    performance: 100 * (report.categories.performance!.score ?? 0),
    accessibility: 100 * (report.categories.accessibility!.score ?? 0),
    metrics: Object.fromEntries(
      Object.keys(METRICS).map((id) => [id, report.audits[id]!.numericValue ?? Number.NaN]),
    ) as Record<Metric, number>,
    failing,
  };
}

/**
 * 8. Lighthouse (performance and accessibility) on Edit My Account, signed in, against the API
 * process of the bench serving the built panel, in Debian's Chromium.
 */
export async function lighthouseScenario(ctx: BenchContext, passwordHash: string): Promise<ScenarioResult> {
  if (webBuildIsStale()) {
    ctx.log('npm run build:web (the built panel is missing or older than its sources)');
    buildPanel();
  }
  const [account] = await createAccounts(ctx.db.db, 'lighthouse', 1, passwordHash, { verified: true });
  const cookie = await signIn(ctx.apiUrl, account!.email);
  const runs = ctx.quick ? 1 : 3;
  const folder = mkdtempSync(path.join(tmpdir(), 'bench-lighthouse-'));
  const results: Array<Run & { index: number }> = [];
  let report: Report | undefined;
  let median: Run;
  let desktop: Run;
  try {
    for (let index = 0; index < runs; index++) {
      ctx.log(`Lighthouse on ${PAGE}, run ${index + 1} of ${runs}`);
      report = await lighthouse(`${ctx.apiUrl}${PAGE}`, cookie, folder, `run-${index}`);
      results.push({ ...runOf(report), index });
    }
    // The run with the median performance score stands for all (Lighthouse's own advice for variance).
    const middle = [...results].sort((a, b) => a.performance - b.performance)[Math.floor(results.length / 2)]!;
    median = middle;
    // Lighthouse's desktop preset once, for comparison: no CPU slowdown, a faster network.
    ctx.log(`Lighthouse on ${PAGE}, desktop preset`);
    desktop = runOf(await lighthouse(`${ctx.apiUrl}${PAGE}`, cookie, folder, 'desktop', ['--preset=desktop']));
    mkdirSync(path.dirname(KEPT_REPORT), { recursive: true });
    for (const kind of ['json', 'html']) {
      copyFileSync(path.join(folder, `run-${middle.index}.report.${kind}`), `${KEPT_REPORT}.${kind}`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const spread = (pick: (run: Run) => number) => {
    const values = summarize(results.map(pick));
    return runs > 1
      ? `; ${runs} runs: ${formatNumber(values.p50)} median, ${formatNumber(Math.min(...results.map(pick)))} min, ${formatNumber(values.max)} max`
      : '';
  };
  const { configSettings: settings } = report!;
  const chromium = execFileSync(CHROMIUM, ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  const conditions =
    `${settings.formFactor}, ${settings.throttlingMethod} throttling (RTT ${settings.throttling.rttMs} ms, ` +
    `${formatNumber(settings.throttling.throughputKbps / 1000)} Mbit/s, CPU ×${settings.throttling.cpuSlowdownMultiplier})`;
  const failing = median.failing.length
    ? median.failing
        .map(
          (audit) =>
            `${audit.category}: ${audit.title} (${audit.id}, score ${formatNumber(audit.score)}${audit.displayValue ? `, ${audit.displayValue}` : ''})`,
        )
        .join('; ')
    : 'none';

  return {
    id: 8,
    title: 'Lighthouse on Edit My Account',
    setup:
      `Lighthouse ${report!.lighthouseVersion} (its CLI, default settings: ${conditions}) in ${chromium} ` +
      `(${CHROME_FLAGS.join(' ')}), on ${PAGE} served by the bench's API process (NODE_ENV=production) from the built ` +
      'panel, signed in: the session cookie comes from POST /v1/auth/login with `X-Session-Transport: cookie` and is ' +
      `sent as an extra Cookie header. ${runs} run${runs > 1 ? 's' : ''}; the figures are from the run with the median ` +
      `performance score, whose full report is kept in ${path.relative(PROJECT_ROOT, KEPT_REPORT)}.html (not committed).`,
    figures: [
      {
        label: 'Lighthouse performance score',
        value: median.performance,
        unit: '',
        target: { op: '>=', value: 95, source: 'issue' },
        note: `${conditions}${spread((run) => run.performance)}`,
      },
      {
        label: 'Lighthouse accessibility score',
        value: median.accessibility,
        unit: '',
        target: { op: '>=', value: 95, source: 'issue' },
        note: spread((run) => run.accessibility).replace(/^; /, ''),
      },
      ...(Object.entries(METRICS) as Array<[Metric, string]>).map(([id, label]) => ({
        label: `Lighthouse ${label}`,
        value: id === 'cumulative-layout-shift' ? median.metrics[id] : median.metrics[id] / 1000,
        unit: id === 'cumulative-layout-shift' ? '' : 's',
        note: 'simulated on the conditions above',
      })),
      {
        label: 'Lighthouse performance score, desktop preset',
        value: desktop.performance,
        unit: '',
        note: `one run; FCP ${formatNumber(desktop.metrics['first-contentful-paint'] / 1000)} s, LCP ${formatNumber(desktop.metrics['largest-contentful-paint'] / 1000)} s, TBT ${formatNumber(desktop.metrics['total-blocking-time'])} ms`,
      },
    ],
    analysis: [
      '**Before → after** (one quick run each on this machine, mobile): before this work (fedfa08: one 219 kB chunk, ' +
        'served uncompressed) performance 63, accessibility 100, FCP 4.55 s, LCP 4.71 s, TBT 283 ms, CLS 0.095; ' +
        'with route splitting alone 66 (LCP worse, 5.53 s: the page chunk, still 87 kB with the validation, came after the entry); ' +
        "then, in turn: compression of the panel's files (`compression`, on the panel's router only: API answers that carry a " +
        'secret beside text an attacker chose stay uncompressed, against BREACH) 88; the validation fetched on first focus ' +
        'instead of with the page, and one collator for sorting the country names; the layout waiting for the account ' +
        '(its bar grew when the links arrived: CLS 0.1 → 0.019) and index.html drawing the bar with the name before any script ' +
        "(FCP 2.1 → 1.1–1.4 s, CLS 0); and no re-render of the whole page when the account's language is the one in use.",
      `**Audits that did not pass** (score under 0.9, in the median run): ${failing}.`,
      '**Edit My Account, loaded faster** (perf branch, 26 Nov; before and after measured the same way, 3 mobile runs ' +
        'each, on the same machine within 20 minutes: median 91 → 96, max 93 → 99; TBT 235 → 153 ms, LCP 2.79 → 2.23 s, ' +
        'first-load JS 132 → 128 kB gzipped; CLS 0 and accessibility 100 throughout. Earlier that day the same build ' +
        'as "before" scored 83, 88 and 93.) What moved it, each measured in turn (median of 3): the sections ' +
        'under Account Details render after it, as a React transition (in slices; added below what is on screen, so ' +
        "nothing moves), the account's first read starts with the script instead of after the first render and renders " +
        'as a transition, and so does the 250-country list: TBT 235 → 162 ms, 91 → 92; only English texts in the first ' +
        'script (Turkish a chunk fetched when chosen): −4 kB; the password policy no longer makes an Intl.Segmenter as ' +
        'its module loads (18 ms of the load on this machine, in a profile; printable ASCII is counted without one); ' +
        'the built files precompressed (brotli q11, gzip 9) and sent as built: entry 107 → 92 kB on the wire; and ' +
        'the Edit My Account chunks named in a `Link: rel=modulepreload` header on /settings/account, so they load ' +
        'alongside the entry rather than after it has run: LCP 2.87 → 2.23 s, 92 → 96.',
      `**This run's ${runs} mobile runs** (performance, TBT, LCP): ` +
        results
          .map(
            (run) =>
              `${formatNumber(run.performance)}, ${formatNumber(run.metrics['total-blocking-time'])} ms, ` +
              `${formatNumber(run.metrics['largest-contentful-paint'] / 1000)} s`,
          )
          .join('; ') +
        '.',
      '**What is left, and why.** The score now meets 95 at the median but not in every run: on this 2-core machine, ' +
        'shared with other work (the bench records how busy), Lighthouse multiplies the CPU tasks it observes by 4, and ' +
        "the longest left is the entry script's own run (about 40 ms observed: React, react-router's data router, i18next " +
        'and the first read of localStorage for the language), then the commit of Account Details. What would move it ' +
        "further: a smaller router (react-router's data router is about 91 kB of the 331 kB entry chunk), or a server " +
        'that answers /settings/account with the account already in the page. The desktop preset scores 99–100.',
    ],
    details: { runs: results, median, desktop, settings, chromium, lighthouse: report!.lighthouseVersion },
  };
}
