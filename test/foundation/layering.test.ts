import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/temporal/binaries';

// The project's own ESLint configuration, run on a file of the core with one import added: the
// rule that keeps src/api/ out of the core must catch it, in every layer it guards.
const eslint = new ESLint({ cwd: PROJECT_ROOT });

async function lintWithImport(file: string, importLine: string): Promise<string[]> {
  const filePath = path.join(PROJECT_ROOT, file);
  const source = `${importLine}\n${readFileSync(filePath, 'utf8')}`;
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

describe('layering', () => {
  it.each([
    ['src/services/account.ts', "import { PROBLEM_TYPES } from '../api/errors';"],
    ['src/services/account.ts', "import type { Auth } from '../api/middleware/auth';"],
    ['src/domain/profile.ts', "import type { Problem } from '../api/errors';"],
    ['src/db/repositories/accounts.ts', "import { createApp } from '../../api/app';"],
    ['src/activities/verification.ts', "import type { AppDeps } from '../api/app';"],
    ['src/workflows/login-challenge.ts', "import type { Problem } from '../api/errors';"],
  ])(
    'when %s imports from src/api/ (%s), then ESLint fails on it',
    async (file, importLine) => {
      const messages = await lintWithImport(file, importLine);
      expect(messages).toEqual([expect.stringMatching(/must not import src\/api\//)]);
    },
    60_000,
  );

  it('when a service imports the domain errors, then ESLint lets it', async () => {
    expect(await lintWithImport('src/services/account.ts', "import { ERROR_CODES } from '../domain/errors';")).toEqual(
      [],
    );
  }, 60_000);
});
