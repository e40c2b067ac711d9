// Runs in plain node, as Lambda's runtime would: loads the built handler and invokes it once.
// argv: <bundle index.js> <event as JSON> <file to write the outcome to>. Everything the handler
// logs goes to stdout/stderr; the outcome goes to the file.
const { writeFileSync } = require('node:fs');

const [bundle, eventJson, outFile] = process.argv.slice(2);
const { handler } = require(bundle);

const done = (outcome) => {
  writeFileSync(outFile, JSON.stringify(outcome));
  // The AWS SDK's keep-alive sockets would hold the process open; Lambda freezes it instead.
  process.exit(0);
};

handler(JSON.parse(eventJson)).then(
  (result) => done({ ok: true, result }),
  (error) => done({ ok: false, message: String(error?.message ?? error), problems: error?.problems ?? null }),
);
