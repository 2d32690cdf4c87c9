import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layer rule (DEVELOPERS.md): domain → store → control → api/<dialect> | dataplane → agent → cli/web.
 * Each layer imports only the ones before it; outside `control`, the control plane is reached only
 * through src/control/index.ts; nothing but `store` touches the database driver or Kysely; a dialect
 * never imports another dialect.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'src');

const LAYERS = ['domain', 'store', 'control', 'api', 'dataplane', 'config', 'agent', 'web', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

/** What each layer may import (besides itself). */
const MAY_IMPORT: Readonly<Record<Layer, readonly Layer[]>> = {
  domain: [],
  store: ['domain'],
  control: ['domain', 'store'],
  api: ['domain', 'control'],
  dataplane: ['domain'],
  config: ['domain'],
  agent: ['domain', 'control', 'dataplane'],
  web: ['domain', 'control', 'config', 'api'],
  cli: ['domain', 'store', 'control', 'api', 'dataplane', 'config', 'agent', 'web'],
};

/** The one file of the CLI that opens the store (and hands the control plane, never the handle, on). */
const CLI_STORE_OPENER = 'cli/control-open.ts';

/** The api files that compose the dialects; the shared ones beside them serve every dialect and import none. */
const API_COMPOSITION = 'api/app.ts';

/** Packages only the store may use. */
const STORE_ONLY_PACKAGES = ['kysely', 'better-sqlite3', 'pg'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

const layerOf = (file: string): Layer => relative(SRC, file).split('/')[0] as Layer;
const dialectOf = (file: string): string | undefined => {
  const parts = relative(SRC, file).split('/');
  return parts[0] === 'api' && parts.length > 2 ? parts[1] : undefined;
};

/** Every `import … from '…'` / `export … from '…'` / `import('…')` specifier of a file. */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

interface Violation {
  readonly file: string;
  readonly imports: string;
  readonly rule: string;
}

function violations(): Violation[] {
  const out: Violation[] = [];
  for (const file of sources(SRC)) {
    const from = layerOf(file);
    const rel = relative(ROOT, file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (STORE_ONLY_PACKAGES.includes(pkg) && from !== 'store') out.push({ file: rel, imports: spec, rule: `only src/store may use ${pkg}` });
        continue;
      }
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC)) continue;
      const to = layerOf(target);
      if (to !== from && !MAY_IMPORT[from].includes(to)) out.push({ file: rel, imports: spec, rule: `${from} may not import ${to}` });
      if (to === 'control' && from !== 'control' && relative(SRC, target) !== 'control/index.js') {
        out.push({ file: rel, imports: spec, rule: 'outside control, import the control plane only through src/control/index.ts' });
      }
      if (from === 'cli' && to === 'store' && relative(SRC, file) !== CLI_STORE_OPENER) {
        out.push({ file: rel, imports: spec, rule: `in the CLI only ${CLI_STORE_OPENER} opens the store` });
      }
      const d = dialectOf(file);
      const td = dialectOf(target);
      if (d && td && d !== td) out.push({ file: rel, imports: spec, rule: `the ${d} dialect may not import the ${td} dialect` });
      if (from === 'web' && td) out.push({ file: rel, imports: spec, rule: `the console may use only the shared api files, not the ${td} dialect` });
      if (from === 'api' && !d && td && relative(SRC, file) !== API_COMPOSITION) {
        out.push({ file: rel, imports: spec, rule: `a shared api file may not import the ${td} dialect (only ${API_COMPOSITION} composes them)` });
      }
    }
  }
  return out;
}

describe('layer rule', () => {
  it('knows every folder under src as a layer', () => {
    expect(
      readdirSync(SRC)
        .filter((n) => statSync(join(SRC, n)).isDirectory())
        .sort(),
    ).toEqual([...LAYERS].sort());
  });

  it('finds the imports it checks (the scan works)', () => {
    const own = readFileSync(join(SRC, 'api', 'app.ts'), 'utf8');
    expect(specifiers(own)).toContain('../control/index.js');
    expect(sources(SRC).length).toBeGreaterThan(100);
  });

  it('no file imports against the layer order, around the control plane, into the store driver or across dialects', () => {
    expect(violations()).toEqual([]);
  });

  it('no dialect and not the console acts as the system: every call carries the caller', () => {
    const bad = [...sources(join(SRC, 'api')), ...sources(join(SRC, 'web'))].filter((f) => /\bSYSTEM_ACTOR\b/.test(readFileSync(f, 'utf8')));
    expect(bad.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('nothing under src/api imports src/store or Kysely', () => {
    const bad = sources(join(SRC, 'api')).filter((f) => specifiers(readFileSync(f, 'utf8')).some((s) => /(^|\/)store\/|^kysely$/.test(s)));
    expect(bad.map((f) => relative(ROOT, f))).toEqual([]);
  });
});

/** The resource CLI (src/cli/resource) talks to a server over HTTP only: its files reach no layer but the domain's pure facts. */
describe('resource CLI layer', () => {
  const RESOURCE = join(SRC, 'cli', 'resource');
  it('imports no control, store, dataplane, agent, api or config module, and no database package', () => {
    const files = sources(RESOURCE);
    expect(files.length).toBeGreaterThan(5);
    const bad = files.flatMap((f) =>
      specifiers(readFileSync(f, 'utf8'))
        .filter((s) => {
          if (!s.startsWith('.')) return STORE_ONLY_PACKAGES.includes(s.split('/')[0]!);
          const target = resolve(dirname(f), s);
          return !target.startsWith(RESOURCE) && ['control', 'store', 'dataplane', 'agent', 'api', 'config'].includes(layerOf(target));
        })
        .map((s) => `${relative(ROOT, f)} imports ${s}`),
    );
    expect(bad).toEqual([]);
  });
});
