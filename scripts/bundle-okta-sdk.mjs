// Bundles @okta/okta-sdk-nodejs into a Lambda asset as a file of its own, where the handler's
// require() finds it the first time a scan runs (lib/scanner-function.ts runs this after bundling
// the handler, which leaves the SDK external). esbuild reads the SDK from this project's
// node_modules, the version tested; no network, no npm install.
//   node scripts/bundle-okta-sdk.mjs <asset dir> <esbuild target>
// The scanner also imports one SDK module by path (lambda/okta/describe-okta-error.ts: HttpError, which
// the SDK's index does not export) and tests errors with instanceof, so that module must be the
// very class the SDK throws: the bundle exports it, and a one-line file at its path hands it on.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const SDK = '@okta/okta-sdk-nodejs';
/** SDK modules the scanner imports by path, and the export of the bundle that carries each. */
const DEEP_IMPORTS = { 'src/http-error': '__scannerHttpError' };

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function bundleOktaSdk(assetDir, target) {
  const sdkDir = join(assetDir, 'node_modules', ...SDK.split('/'));
  const exportsDeep = Object.entries(DEEP_IMPORTS)
    .map(([path, name]) => `module.exports.${name} = require('${SDK}/${path}');`)
    .join('\n');
  await build({
    stdin: { contents: `module.exports = require('${SDK}');\n${exportsDeep}`, resolveDir: ROOT, loader: 'js' },
    outfile: join(sdkDir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target,
    // Minified like the handler (the code never branches on a class name); no source map: its
    // frames are the SDK's, and --enable-source-maps would read it on every cold start.
    minify: true,
    logLevel: 'warning',
  });
  for (const [path, name] of Object.entries(DEEP_IMPORTS)) {
    const file = join(sdkDir, `${path}.js`);
    mkdirSync(dirname(file), { recursive: true });
    const bundle = relative(dirname(file), join(sdkDir, 'index.js')).split('\\').join('/');
    writeFileSync(file, `module.exports = require('${bundle.startsWith('.') ? bundle : `./${bundle}`}').${name};\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [assetDir, target] = process.argv.slice(2);
  if (!assetDir || !target) throw new Error('usage: node scripts/bundle-okta-sdk.mjs <asset dir> <esbuild target>');
  await bundleOktaSdk(assetDir, target);
}
