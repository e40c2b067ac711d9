'use strict';
// Preloaded with `node --require` by test/cli-built: on exit, writes the files the process loaded
// through require() to $OKTA_SCAN_LOADED_FILES, to check what a command loads.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  writeFileSync(process.env.OKTA_SCAN_LOADED_FILES, JSON.stringify(Object.keys(require.cache)));
});
