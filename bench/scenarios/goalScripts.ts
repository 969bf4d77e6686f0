// The parts of issue 23's goals that need a process of their own, run at the end of `npm run bench` so that
// every goal is a MET/MISSED line of one run: memory per replica (`npm run bench:memory -- replica`), live
// viewers by the thousand (`npm run bench:live`) and cold start (`npm run bench:cold-start`). Each is its
// own npm script (they build dist/ first and start the built gateway), run one after another with their
// output passed through; one that fails or misses is reported and the next still runs.
// BENCH_SCENARIOS names them `replica`, `live` and `cold-start` (all three when it is unset).
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const GOAL_SCRIPTS: readonly { readonly id: string; readonly args: readonly string[] }[] = [
  { id: 'replica', args: ['run', 'bench:memory', '--', 'replica'] },
  { id: 'live', args: ['run', 'bench:live'] },
  { id: 'cold-start', args: ['run', 'bench:cold-start'] },
];

export async function runGoalScripts(only: readonly string[] | undefined): Promise<void> {
  for (const { id, args } of GOAL_SCRIPTS) {
    if (only !== undefined && !only.includes(id)) continue;
    process.stderr.write(`bench: npm ${args.join(' ')} …\n`);
    process.stdout.write(`\n## npm ${args.join(' ')}\n\n`);
    const child = spawn('npm', [...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    // bench:live and bench:cold-start exit 1 when a target is MISSED: their lines say which.
    if (code !== 0) process.stdout.write(`\n(npm ${args.join(' ')} exited ${signal ?? code}: see its MET/MISSED lines above)\n`);
  }
}
