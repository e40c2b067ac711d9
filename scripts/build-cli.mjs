// Builds the okta-scan command into dist/ (the package's `prepare` runs it, so `npm ci` and
// `npm pack` both build it). Self-contained: nothing from node_modules is needed at run time.
//   dist/cli.mjs + chunk files  the command, split by esbuild at each import() in the sources:
//                               `--version`, `--help` and `rules` load only the entry and the few
//                               chunks it imports; zod and the config come with a scan command,
//                               the collectors when an org is read, the fake Okta server and the
//                               demo org only with --demo.
//   dist/okta-sdk.js            @okta/okta-sdk-nodejs (CommonJS, four fifths of the code),
//                               require()d only once a scan reads an org.
// Code splitting needs ESM output; the banner gives the bundled CommonJS code (the SDK's
// require of ./okta-sdk.js, packages that require Node's modules) the require and __dirname it expects.
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
export const ENTRY = 'cli.mjs';

const BANNER = [
  "import { createRequire as __oktaScanRequire } from 'node:module';",
  "import { fileURLToPath as __oktaScanPath } from 'node:url';",
  "import { dirname as __oktaScanDir } from 'node:path';",
  'const require = __oktaScanRequire(import.meta.url);',
  'const __filename = __oktaScanPath(import.meta.url);',
  'const __dirname = __oktaScanDir(__filename);',
].join(' ');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Minified code parses faster; the code never branches on a class name (docs/toolchain.md#the-lambda-bundle).
  minify: true,
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
};

/**
 * SDK modules the scanner imports by path (describe-okta-error.ts: HttpError, which the SDK's index
 * does not export), and the export of okta-sdk.js that carries each: errors are told apart with
 * instanceof, so the class must be the very one the SDK file throws, not a second bundled copy.
 */
const DEEP_IMPORTS = { 'src/http-error': '__scannerHttpError' };

/** Every import of the Okta SDK becomes require('./okta-sdk.js'), the file beside the chunks. */
const sdkBeside = {
  name: 'okta-sdk-beside',
  setup(b) {
    b.onResolve({ filter: /^@okta\/okta-sdk-nodejs(\/.*)?$/ }, (args) => ({
      path: args.path.slice('@okta/okta-sdk-nodejs'.length + 1) || 'index',
      namespace: 'okta-sdk-beside',
    }));
    b.onLoad({ filter: /.*/, namespace: 'okta-sdk-beside' }, (args) => {
      if (args.path === 'index') return { contents: "module.exports = require('./okta-sdk.js');", loader: 'js' };
      const name = DEEP_IMPORTS[args.path];
      if (!name) throw new Error(`@okta/okta-sdk-nodejs/${args.path} is not exported by dist/okta-sdk.js`);
      return { contents: `module.exports = require('./okta-sdk.js').${name};`, loader: 'js' };
    });
    b.onResolve({ filter: /^\.\/okta-sdk\.js$/, namespace: 'okta-sdk-beside' }, () => ({
      path: './okta-sdk.js',
      external: true,
    }));
  },
};

function bundle(outdir) {
  return Promise.all([
    build({
      ...common,
      entryPoints: { cli: join(ROOT, 'lambda', 'cli.ts') },
      outdir,
      format: 'esm',
      splitting: true,
      outExtension: { '.js': '.mjs' },
      banner: { js: BANNER },
      plugins: [sdkBeside],
    }),
    build({
      ...common,
      stdin: {
        contents: [
          "module.exports = require('@okta/okta-sdk-nodejs');",
          ...Object.entries(DEEP_IMPORTS).map(
            ([path, name]) => `module.exports.${name} = require('@okta/okta-sdk-nodejs/${path}');`,
          ),
        ].join('\n'),
        resolveDir: ROOT,
        loader: 'js',
      },
      outfile: join(outdir, 'okta-sdk.js'),
      format: 'cjs',
      // The SDK names its errors after their classes; keep those names readable in messages and
      // stack traces (OKTA_SCAN_DEBUG=1). Nothing in this project branches on them.
      keepNames: true,
    }),
  ]);
}

/**
 * Builds dist/ afresh; returns the size in bytes of each file built. The files are built beside
 * and renamed into place, the entry last and stale files after, so a command started meanwhile
 * (a test, say) never reads half a file or misses a chunk.
 */
export async function buildCli() {
  mkdirSync(DIST, { recursive: true });
  const staging = mkdtempSync(join(DIST, '.build-'));
  try {
    const sizes = {};
    for (const { metafile } of await bundle(staging)) {
      for (const [file, output] of Object.entries(metafile.outputs)) sizes[file.split('/').pop()] = output.bytes;
    }
    const names = Object.keys(sizes).sort((a, b) => Number(a === ENTRY) - Number(b === ENTRY));
    for (const name of names) renameSync(join(staging, name), join(DIST, name));
    for (const name of readdirSync(DIST)) {
      if (!name.startsWith('.build-') && !(name in sizes)) rmSync(join(DIST, name), { recursive: true, force: true });
    }
    return sizes;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const sizes = await buildCli();
  const mib = (bytes) => `${(bytes / 1_048_576).toFixed(2)} MiB`;
  const chunks = Object.entries(sizes).filter(([name]) => name !== ENTRY && name !== 'okta-sdk.js');
  console.log(
    `okta-scan built: dist/${ENTRY} ${mib(sizes[ENTRY])}, dist/okta-sdk.js ${mib(sizes['okta-sdk.js'])}, ${chunks.length} chunks ${mib(chunks.reduce((n, [, b]) => n + b, 0))}`,
  );
}
