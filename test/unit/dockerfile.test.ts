/** Static checks of the Dockerfile's stages and of .dockerignore; no Docker engine is needed. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../support/compose';


interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

function parseDockerfile(source: string): { args: Record<string, string>; stages: Stage[] } {
  const lines: string[] = [];
  let pending = '';
  for (const raw of source.split(/\r?\n/)) {
    if (/^\s*#/.test(raw)) continue; // comments, also inside continued instructions
    const line = raw.replace(/\s+$/, '');
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full) lines.push(full);
  }
  if (pending.trim()) lines.push(pending.trim());

  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const match = /^(\w+)\s+(.*)$/s.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = match[2] ?? '';
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      stages.push({ from: from?.[1] ?? '', name: from?.[2], instructions: [] });
    } else if (stages.length === 0) {
      if (keyword === 'ARG') {
        const [key, value] = args.split('=');
        if (key) globalArgs[key.trim()] = (value ?? '').trim();
      }
    } else {
      stages[stages.length - 1]?.instructions.push({ keyword, args });
    }
  }
  return { args: globalArgs, stages };
}

function runs(stage: Stage): string[] {
  return stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
}

describe('Dockerfile', () => {
  const path = join(root, 'Dockerfile');

  it('exists', () => {
    expect(existsSync(path)).toBe(true);
  });

  const { args, stages } = parseDockerfile(existsSync(path) ? readFileSync(path, 'utf8') : '');
  const runtime = stages[stages.length - 1];
  const stageByName = (name: string): Stage | undefined => stages.find((s) => s.name === name);

  /** Follows `FROM <stage>` links and ARG defaults down to the external base image. */
  function baseImage(stage: Stage): string {
    let from = stage.from;
    for (let hops = 0; hops < stages.length + 1; hops++) {
      from = from.replace(/\$\{?(\w+)\}?/g, (_, key: string) => args[key] ?? '');
      const parent = stageByName(from);
      if (!parent) return from;
      from = parent.from;
    }
    throw new Error('FROM chain loops');
  }

  function inherited(stage: Stage): Instruction[] {
    const parent = stageByName(stage.from);
    return [...(parent && parent !== stage ? inherited(parent) : []), ...stage.instructions];
  }

  it('is multi-stage on a glibc Node 20 base (the Temporal core bridge ships gnu binaries only)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime).toBeDefined();
    const base = baseImage(runtime as Stage);
    expect(base).toMatch(/^node:20[\w.-]*$/);
    expect(base).not.toMatch(/alpine/);
  });

  it('builds in an earlier stage: npm install, then npm run build, then the workflow bundle', () => {
    const builder = stages.slice(0, -1).find((s) => runs(s).some((r) => /\bnpm run build\b/.test(r)));
    expect(builder).toBeDefined();
    const script = runs(builder as Stage).join(' && ');
    const ci = script.search(/\bnpm install\b/);
    const build = script.search(/\bnpm run build\b/);
    const bundle = script.search(/\bnode dist\/scripts\/bundle-workflows\.js\b/);
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(build).toBeGreaterThan(ci);
    expect(bundle).toBeGreaterThan(build);
  });

  it('installs only production dependencies in the runtime stage and copies the built output', () => {
    const stage = runtime as Stage;
    expect(runs(stage).join(' ')).toMatch(/\bnpm install\b[^&;]*--omit=dev/);
    expect(runs(stage).join(' ')).not.toMatch(/\bnpm run build\b/);
    const copies = stage.instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies.some((c) => /--from=\S+/.test(c) && /\bdist\b/.test(c))).toBe(true);
    expect(copies.some((c) => /\bconfig\b/.test(c))).toBe(true);
  });

  it('runs as a non-root user', () => {
    const users = inherited(runtime as Stage).filter((i) => i.keyword === 'USER');
    const user = users[users.length - 1]?.args.split(':')[0]?.trim();
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('starts the api by default and never tries to install Temporal binaries', () => {
    const stage = runtime as Stage;
    const cmd = stage.instructions.filter((i) => i.keyword === 'CMD').pop()?.args ?? '';
    expect(JSON.parse(cmd)).toEqual(['node', 'dist/api/main.js']);
    const envs = inherited(stage)
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(envs).toMatch(/\bSKIP_TEMPORAL_INSTALL=1\b/);
  });
});

describe('.dockerignore', () => {
  it('keeps host build output, dependencies and local state out of the build context', () => {
    const entries = readFileSync(join(root, '.dockerignore'), 'utf8')
      .split(/\r?\n/)
      .map((l) => l.trim().replace(/^\/+|\/+$/g, ''))
      .filter((l) => l && !l.startsWith('#'));
    expect(entries).toEqual(
      expect.arrayContaining(['node_modules', 'dist', '.tools', '.data', '.git', 'coverage', 'test-artifacts']),
    );
  });
});
