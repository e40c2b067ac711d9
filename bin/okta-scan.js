#!/usr/bin/env node
'use strict';
// The okta-scan command. The sources are TypeScript, run through tsx so a checkout works
// after `npm ci` with no build step.

require('tsx/cjs');

// A reader that closes the pipe early (`okta-scan | head`) is not an error of the scan.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

require('../lambda/cli.ts')
  .main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env })
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
