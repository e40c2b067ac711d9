#!/usr/bin/env node
'use strict';
// The okta-scan command: runs the CLI bundle that `npm ci` (the package's `prepare`) builds with
// scripts/build-cli.mjs. After changing the sources in a checkout, `npm run build` rebuilds it.

const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const bundle = join(__dirname, '..', 'dist', 'cli.mjs');
if (!existsSync(bundle)) {
  process.stderr.write('okta-scan: the command is not built (no dist/cli.mjs): run npm run build, or npm ci\n');
  process.exit(2);
}

// A reader that closes the pipe early (`okta-scan | head`) is not an error of the scan.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

import(pathToFileURL(bundle).href)
  .then((cli) => cli.main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }))
  .then(
    (code) => {
      process.exitCode = code;
      // Idle keep-alive sockets must not hold the process open; exit once both streams drained.
      process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
    },
    (error) => {
      process.stderr.write(`okta-scan: ${error?.message ?? error}\n`);
      process.exitCode = 3;
    },
  );
