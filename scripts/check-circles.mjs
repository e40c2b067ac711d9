// Fails when the TypeScript modules under lambda/, lib/ and bin/ import each other in a circle
// (type-only imports count: they still tie the files together). Follows relative imports, static
// and dynamic, into any folder they lead to. Usage: node scripts/check-circles.mjs [dir...]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : tsFiles(path);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveImport(from, specifier) {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile() && c.endsWith('.ts')) ?? null;
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => resolveImport(file, m[1])).filter(Boolean);
}

const starts = (process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['lambda', 'lib', 'bin'])
  .map((d) => resolve(root, d))
  .filter((d) => existsSync(d))
  .flatMap(tsFiles);

// Depth-first search; a grey node met again closes a circle.
const state = new Map();
const circles = [];
function visit(file, path) {
  state.set(file, 'grey');
  path.push(file);
  for (const next of importsOf(file)) {
    if (state.get(next) === 'grey') circles.push(path.slice(path.indexOf(next)).concat(next));
    else if (!state.has(next)) visit(next, path);
  }
  path.pop();
  state.set(file, 'black');
}
for (const file of starts) if (!state.has(file)) visit(file, []);

if (circles.length > 0) {
  for (const circle of circles) console.error(`circle: ${circle.map((f) => relative(root, f)).join(' > ')}`);
  process.exit(1);
}
console.log(`No import circle among ${state.size} modules.`);
