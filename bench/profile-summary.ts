/**
 * Summarises a V8 CPU profile written with `npm run bench -- --cpu-prof`: self time by package
 * (or project file) and the heaviest functions. `tsx bench/profile-summary.ts bench/profiles/X.cpuprofile`
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: tsx bench/profile-summary.ts FILE.cpuprofile\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<number, number>();
profile.samples.forEach((id, index) =>
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)),
);
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

function owner(url: string): string {
  if (url === '') return '(native / V8)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node core';
  const project = /\/(src\/.*)$/.exec(url);
  return project ? project[1]! : url;
}

const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  const { callFrame } = byId.get(id)!;
  const name = callFrame.functionName || '(anonymous)';
  byOwner.set(owner(callFrame.url), (byOwner.get(owner(callFrame.url)) ?? 0) + micros);
  const key = `${name} ${owner(callFrame.url)}:${callFrame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
}
const top = (map: Map<string, number>, count: number) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${key}`)
    .join('\n');
process.stdout.write(
  `total ${(total / 1e6).toFixed(2)} s sampled\n\nself time by owner:\n${top(byOwner, 20)}\n\nheaviest functions:\n${top(byFunction, 30)}\n`,
);
