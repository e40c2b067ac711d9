import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { describe, expect, it } from 'vitest';

// A test file that no project matches never runs, and one that two match runs twice, once
// without the isolation it may need. Files are found the way vitest finds them (tinyglobby,
// with each project's exclude as ignore), so this fails before a file goes quietly missing.

const ROOT = join(__dirname, '..');

/** Each test file under test/, with the names of the projects of vitest.config.mts that run it. */
async function projectsByFile(): Promise<{ byFile: Map<string, string[]>; isolated: Set<string> }> {
  const { TEST_PROJECTS, DEFAULT_EXCLUDE } = await import('../vitest.config.mjs');
  const filesOf = (include: string[], exclude: string[] = []): Promise<string[]> =>
    glob(include, { cwd: ROOT, dot: true, ignore: [...DEFAULT_EXCLUDE, ...exclude], expandDirectories: false });
  const byFile = new Map<string, string[]>();
  for (const file of await filesOf(['test/**/*.test.ts'])) byFile.set(file, []);
  for (const project of TEST_PROJECTS) {
    for (const file of await filesOf(project.include, project.exclude)) {
      byFile.set(file, [...(byFile.get(file) ?? []), project.name]);
    }
  }
  return { byFile, isolated: new Set(TEST_PROJECTS.filter((p) => p.isolate).map((p) => p.name)) };
}

describe('test projects', () => {
  it('run every test file in exactly one project', async () => {
    const { byFile } = await projectsByFile();
    expect(byFile.size).toBeGreaterThan(0);
    const misplaced = [...byFile].filter(([, projects]) => projects.length !== 1);
    expect(misplaced.map(([file, projects]) => `${file}: ${projects.join(', ') || 'no project'}`)).toEqual([]);
  });

  it('isolate every file that uses vi.mock, which swaps a module for the whole worker', async () => {
    const { byFile, isolated } = await projectsByFile();
    const mocking = [...byFile.keys()].filter((file) =>
      /\bvi\.(do)?mock\(/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(mocking.filter((file) => !isolated.has(byFile.get(file)?.[0] ?? ''))).toEqual([]);
  });
});
