import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTemporalBinary, PROJECT_ROOT, TEMPORAL_CLI } from '../../src/temporal/binaries';

function fakeBinary(dir: string, name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

describe('finding the Temporal binaries', () => {
  it('when the env variable names a file, then that absolute path wins over PATH', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bin-'));
    const explicit = fakeBinary(dir, 'my-temporal');
    const onPath = fakeBinary(mkdtempSync(path.join(tmpdir(), 'path-')), 'temporal');
    const found = findTemporalBinary(TEMPORAL_CLI, { TEMPORAL_CLI_PATH: explicit, PATH: path.dirname(onPath) });
    expect(found).toBe(explicit);
  });

  it('when the env variable names a missing file, then it fails naming the variable', () => {
    expect(() => findTemporalBinary(TEMPORAL_CLI, { TEMPORAL_CLI_PATH: '/nowhere/temporal' })).toThrow(
      /TEMPORAL_CLI_PATH/,
    );
  });

  it('when the env variable is unset, then PATH is searched and an absolute path returned', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'path-'));
    const onPath = fakeBinary(dir, 'temporal');
    expect(findTemporalBinary(TEMPORAL_CLI, { PATH: dir })).toBe(onPath);
  });

  it('when neither is set, then the project tools folder provides it', () => {
    const found = findTemporalBinary(TEMPORAL_CLI, { PATH: '/nonexistent' });
    expect(found).toBe(path.join(PROJECT_ROOT, '.tools', 'temporal', 'bin', 'temporal'));
  });
});
