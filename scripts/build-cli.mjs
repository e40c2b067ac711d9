// Builds the okta-scan command into dist/ (the package's `prepare` runs it, so `npm ci` and
// `npm pack` both build it). Two self-contained CommonJS files, no node_modules needed at run time:
//   dist/cli.js       the command: flags, rules, reports, config, collectors, and the demo org with
//                     its fake Okta server (reached through import(), which esbuild turns into a
//                     module initialiser run only when a command needs it);
//   dist/okta-sdk.js  @okta/okta-sdk-nodejs, four fifths of the code, which cli.js require()s only
//                     once a scan starts: a file that is never loaded is never parsed, so
//                     `--version`, `--help` and `rules` start without it.
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const OKTA_SDK = '@okta/okta-sdk-nodejs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Minified code parses faster; the code never branches on a class name (issue 11).
  minify: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
};

/** Every import of the Okta SDK in the CLI becomes require('./okta-sdk.js'), beside it in dist/. */
const sdkBeside = {
  name: 'okta-sdk-beside',
  setup(b) {
    b.onResolve({ filter: /^@okta\/okta-sdk-nodejs$/ }, () => ({ path: './okta-sdk.js', external: true }));
  },
};

/**
 * Builds dist/ afresh; returns the size in bytes of each file built. Each file is written beside
 * and then renamed into place, so a command started meanwhile (a test, say) never reads half a file.
 */
export async function buildCli() {
  mkdirSync(DIST, { recursive: true });
  const staging = mkdtempSync(join(DIST, '.build-'));
  try {
    const built = await bundle(staging);
    for (const name of readdirSync(DIST)) {
      if (!name.startsWith('.build-') && !(name in built)) rmSync(join(DIST, name), { recursive: true, force: true });
    }
    for (const name of Object.keys(built)) renameSync(join(staging, name), join(DIST, name));
    return built;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function bundle(outdir) {
  const [cli, sdk] = await Promise.all([
    build({
      ...common,
      entryPoints: [join(ROOT, 'lambda', 'cli.ts')],
      outfile: join(outdir, 'cli.js'),
      plugins: [sdkBeside],
    }),
    build({
      ...common,
      entryPoints: [createRequire(import.meta.url).resolve(OKTA_SDK)],
      outfile: join(outdir, 'okta-sdk.js'),
      // The SDK names its errors after their classes; keep those names readable in messages and
      // stack traces (OKTA_SCAN_DEBUG=1). Nothing in this project branches on them.
      keepNames: true,
    }),
  ]);
  const sizes = {};
  for (const { metafile } of [cli, sdk]) {
    for (const [file, output] of Object.entries(metafile.outputs)) sizes[basename(file)] = output.bytes;
  }
  return sizes;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = await buildCli();
  const list = Object.entries(sizes).map(([file, bytes]) => `dist/${file} ${(bytes / 1_048_576).toFixed(2)} MiB`);
  console.log(`okta-scan built: ${list.join(', ')}`);
}
