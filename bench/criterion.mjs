// Reads the native stage benchmarks' results (criterion's target/criterion/**/new/estimates.json)
// as `[{group, bench, medianMs}]`, so PERFORMANCE.md shows where native time goes.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

function* estimateFiles(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    if (entry === 'new' && existsSync(join(path, 'estimates.json'))) yield join(path, 'estimates.json');
    else if (entry !== 'base' && entry !== 'change' && entry !== 'report') yield* estimateFiles(path);
  }
}

/** Criterion's median per benchmark under `root` whose group starts with one of `prefixes`. */
export function readCriterion(root, prefixes = ['stages_', 'whole_path_']) {
  if (!existsSync(root)) return [];
  const rows = [];
  for (const file of estimateFiles(root)) {
    const parts = relative(root, file).split(sep).slice(0, -2); // drop new/estimates.json
    const [group, ...bench] = parts;
    if (!prefixes.some((p) => group.startsWith(p))) continue;
    const estimates = JSON.parse(readFileSync(file, 'utf8'));
    rows.push({
      group,
      bench: bench.join('/'),
      medianMs: estimates.median.point_estimate / 1e6,
      measuredAt: statSync(file).mtime.toISOString(),
    });
  }
  return rows.sort((a, b) => a.group.localeCompare(b.group) || a.bench.localeCompare(b.bench));
}
