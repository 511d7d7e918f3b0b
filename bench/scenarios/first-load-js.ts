import { readdirSync } from 'node:fs';
import path from 'node:path';
import { type BenchContext, formatNumber, type ScenarioResult } from '../lib/report';
import {
  type BuiltFile,
  buildPanel,
  readManifest,
  scriptsOfIndexHtml,
  sizeOf,
  staticClosure,
  sum,
  WEB_DIST,
} from '../lib/web-build';

/** The page a signed-in merchant lands on, and the country names it lists in English. */
const EDIT_ACCOUNT = 'src/pages/EditAccount.tsx';
const COUNTRY_NAMES_EN = '../node_modules/i18n-iso-countries/langs/en.json';
/** Edit My Account's validation: the shared zod schemas with libphonenumber-js, fetched when the form is first focused. */
const PROFILE_RULES = '../src/domain/profile.ts';

/**
 * Before route-level code splitting (commit fedfa08), measured the same way: one chunk that
 * every page loaded, 738.7 kB minified.
 */
const BEFORE = { bytes: 738_729, gzip: 219_133, brotli: 186_339 };

const kB = (bytes: number) => bytes / 1000;

/**
 * 7. The panel's first-load JavaScript: builds it as a deploy does and weighs, gzipped, the
 * scripts the first page load fetches (the entry chunk and its static imports, which index.html
 * names as modulepreloads), whatever page it is.
 */
export function firstLoadJsScenario(ctx: BenchContext): Promise<ScenarioResult> {
  ctx.log('npm run build:web');
  const buildSeconds = buildPanel();
  const manifest = readManifest();
  const firstLoadFiles = staticClosure(manifest, 'index.html');
  // The manifest and the page must agree on what the first load fetches.
  const fromHtml = scriptsOfIndexHtml();
  if ([...firstLoadFiles].sort().join() !== [...fromHtml].sort().join()) {
    throw new Error(
      `index.html loads ${[...fromHtml].join(', ')}; the manifest says ${[...firstLoadFiles].join(', ')}`,
    );
  }
  const firstLoad = [...firstLoadFiles].map(sizeOf);
  const editAccountFiles = staticClosure(manifest, EDIT_ACCOUNT, new Set(firstLoadFiles));
  editAccountFiles.add(manifest[COUNTRY_NAMES_EN]!.file);
  const editAccount = [...editAccountFiles].map(sizeOf);
  const rules = [...staticClosure(manifest, PROFILE_RULES)].filter((file) => !editAccountFiles.has(file)).map(sizeOf);
  const all = readdirSync(path.join(WEB_DIST, 'assets'))
    .filter((file) => file.endsWith('.js'))
    .map((file) => sizeOf(`assets/${file}`));
  const biggest = [...all].sort((a, b) => b.gzip - a.gzip).slice(0, 4);
  const gzip = (files: BuiltFile[]) => kB(sum(files, (file) => file.gzip));
  const describe = (file: BuiltFile) => `${path.basename(file.file)} ${formatNumber(kB(file.gzip))} kB`;

  return Promise.resolve({
    id: 7,
    title: "The panel's first-load JavaScript",
    setup:
      `\`npm run build:web\` (Vite, production mode, ${formatNumber(buildSeconds)} s), then the built files weighed: ` +
      'the first load is the entry chunk and its static imports, read from the Vite manifest ' +
      '(web/dist/.vite/manifest.json) and checked against the script and modulepreload tags of the built index.html; ' +
      "the same for every page, since the router fetches a page's own chunk only once its path matches. Sizes are " +
      "gzipped at zlib's default level, as the API's compression middleware sends them (brotli in the notes); " +
      '1 kB = 1,000 bytes.',
    figures: [
      {
        label: 'first-load JS, gzipped',
        value: gzip(firstLoad),
        unit: 'kB',
        target: { op: '<=', value: 150, source: 'issue' },
        note: `${firstLoad.length} files: ${firstLoad.map(describe).join(', ')}; brotli ${formatNumber(kB(sum(firstLoad, (file) => file.brotli)))} kB`,
      },
      {
        label: 'first-load JS, minified',
        value: kB(sum(firstLoad, (file) => file.bytes)),
        unit: 'kB',
        note: 'what the browser parses',
      },
      {
        label: 'Edit My Account page JS, gzipped',
        value: gzip(editAccount),
        unit: 'kB',
        note: `first load + the page's chunks and the English country names (${editAccount.length} files), before any field is focused`,
      },
      {
        label: 'Edit My Account validation, gzipped',
        value: gzip(rules),
        unit: 'kB',
        note: 'zod and libphonenumber-js (max metadata) with the shared schemas: fetched on the first focus in the details form',
      },
      {
        label: 'all JS chunks, gzipped',
        value: gzip(all),
        unit: 'kB',
        note: `${all.length} files, ${formatNumber(kB(sum(all, (file) => file.bytes)))} kB minified`,
      },
    ],
    analysis: [
      `**Before → after.** Before route-level code splitting (fedfa08) the panel was one chunk that every page loaded: ` +
        `${formatNumber(kB(BEFORE.gzip))} kB gzipped (${formatNumber(kB(BEFORE.bytes))} kB minified, brotli ${formatNumber(kB(BEFORE.brotli))} kB), ` +
        'of which libphonenumber-js with its max metadata, zod and the country names of i18n-iso-countries, all pulled in by the shared ' +
        'src/domain/profile.ts, were most. Now the router loads each page but Sign in in a chunk of its own (react-router `lazy` routes, ' +
        `web/src/App.tsx), so the first load is ${formatNumber(gzip(firstLoad))} kB: React, React DOM, react-router, i18next with the ` +
        "English texts (Turkish is a chunk fetched when chosen: web/src/i18n), the API client, the layout and the sign-in page. Edit My Account's validation (the same zod schemas as the " +
        'server, with libphonenumber-js max: src/domain/profile.ts) is a chunk of its own, fetched when the merchant first focuses the ' +
        'details form and awaited on submit (the page shows without it), and the country names come per language, when a country list ' +
        `is first shown in it. The biggest chunks: ${biggest.map(describe).join(', ')}.`,
      '**Why max metadata stays.** libphonenumber-js `min` metadata would save about 20 kB gzipped on the validation chunk, but its ' +
        "`isValid()` checks little more than lengths (the library's README), not the digit patterns: over 220,000 generated numbers (random digits, national and international, for every country) about " +
        '5% were valid with `min` and invalid with `max`, which the server uses. The panel would accept numbers the server refuses, ' +
        "so it keeps the server's rule, in the lazy chunk.",
    ],
    details: {
      buildSeconds,
      firstLoad,
      editAccount,
      rules,
      all,
      before: BEFORE,
    },
  });
}
