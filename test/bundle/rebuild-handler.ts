import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { SCANNER_BUNDLING, SCANNER_ENTRY } from '../../lib/scanner-function';

// Rebuilds the handler with the stack's own bundling options (lib/scanner-function.ts), with one
// source file's function swapped for a fixture: how the suite shows that an old bug would be caught.

const PROJECT_ROOT = join(__dirname, '..', '..');

const OKTA_ERRORS = /lambda[\\/]okta[\\/]describe-okta-error\.ts$/;
/** asHttpError as it was before the fix: it recognised the SDK's errors by `error.name`. */
const NAME_BASED_FIXTURE = join(__dirname, 'fixtures', 'name-based-as-http-error.ts.txt');

/** Puts the name-based asHttpError back into lambda/okta/describe-okta-error.ts. */
function nameBasedErrorCheck(): Plugin {
  return {
    name: 'name-based-error-check',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: OKTA_ERRORS }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const current = /\/\*\*(?:[^*]|\*(?!\/))*\*\/\nfunction asHttpError\([\s\S]*?\n}\n/;
        if (!current.test(source)) throw new Error(`asHttpError not found in ${args.path}: update the fixture swap`);
        return { contents: source.replace(current, readFileSync(NAME_BASED_FIXTURE, 'utf8')), loader: 'ts' };
      });
    },
  };
}

/** Builds the handler as the stack does, with the pre-fix name check, into `outdir`/index.js. */
export async function buildWithNameBasedCheck(outdir: string): Promise<string> {
  const outfile = join(outdir, 'index.js');
  const result = await build({
    entryPoints: [SCANNER_ENTRY],
    bundle: true,
    platform: 'node',
    format: SCANNER_BUNDLING.format === 'cjs' ? 'cjs' : 'esm',
    minify: SCANNER_BUNDLING.minify,
    sourcemap: SCANNER_BUNDLING.sourceMap,
    target: SCANNER_BUNDLING.target,
    external: SCANNER_BUNDLING.externalModules,
    outfile,
    logLevel: 'silent',
    plugins: [nameBasedErrorCheck()],
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'));
  // The stack's own after-bundling step: the Okta SDK, minified, as its own file beside the handler.
  for (const command of SCANNER_BUNDLING.commandHooks.afterBundling(PROJECT_ROOT, outdir)) {
    execSync(command, { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return outfile;
}
