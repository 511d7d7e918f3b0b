import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import type { OpenAPI3 } from 'openapi-typescript';
import { buildOpenApiDocument } from '../src/api/openapi';
import { PROJECT_ROOT } from '../src/temporal/binaries';

// The panel's API types come from the service's own OpenAPI document, so a change to a route's
// schema shows up as a type error in the page that calls it. `npm run api-types` regenerates;
// a test fails while the committed file is behind the document.

export const API_TYPES_FILE = path.join(PROJECT_ROOT, 'web', 'src', 'api', 'schema.d.ts');

const HEADER = "// Generated from the service's OpenAPI document by `npm run api-types`. Do not edit.\n\n";

export async function renderApiTypes(): Promise<string> {
  const document = JSON.parse(JSON.stringify(buildOpenApiDocument())) as OpenAPI3;
  return HEADER + astToString(await openapiTS(document));
}

export function committedApiTypes(): string {
  return readFileSync(API_TYPES_FILE, 'utf8');
}

if (require.main === module) {
  void renderApiTypes().then((types) => {
    writeFileSync(API_TYPES_FILE, types);
    process.stdout.write(`api-types: wrote ${path.relative(PROJECT_ROOT, API_TYPES_FILE)}\n`);
  });
}
