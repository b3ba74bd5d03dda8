/** The main entry stays free of runtime dependencies; only `@keyward/sdk/openfeature` may load @openfeature. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module specifier imported (statically or dynamically, types excluded) by `entry` and what it imports. */
function bareImports(entry: string): { files: string[]; bare: string[] } {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const pattern = /(?:^|\n)\s*(import|export)(\s+type)?[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;
    for (const m of text.matchAll(pattern)) {
      if (m[2]) continue; // `import type` / `export type`: erased
      const spec = (m[3] ?? m[4])!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files: [...seen], bare: [...bare].sort() };
}

describe('package entries', () => {
  it('@keyward/sdk imports nothing outside the package', () => {
    const { files, bare } = bareImports(resolve(here, 'index.ts'));
    expect(files.length).toBeGreaterThan(10);
    expect(files.some((f) => f.includes('/openfeature/'))).toBe(false);
    expect(bare).toEqual([]);
  });

  it('@keyward/sdk names node: modules only in runtime.ts, and loads them there at run time, never statically', () => {
    const { files } = bareImports(resolve(here, 'index.ts'));
    const naming = files.filter((f) => /['"]node:/.test(readFileSync(f, 'utf8')));
    expect(naming.map((f) => f.slice(here.length + 1))).toEqual(['runtime.ts']);
    const runtime = readFileSync(resolve(here, 'runtime.ts'), 'utf8');
    expect(runtime).not.toMatch(/^\s*import[^(]*['"]node:/m);
    expect(runtime).toMatch(/getBuiltinModule\('node:crypto'\)/);
  });

  it('@keyward/sdk/openfeature adds only the @openfeature/server-sdk peer dependency', () => {
    expect(bareImports(resolve(here, 'openfeature/index.ts')).bare).toEqual(['@openfeature/server-sdk']);
  });
});
