// Runs in plain node, as Lambda's runtime would: loads the built handler and invokes it once.
// argv: <bundle index.js> <event as JSON> <file to write the outcome to> [timeout, ms].
// Everything the handler logs goes to stdout/stderr; the outcome goes to the file.
const { writeFileSync } = require('node:fs');

const [bundle, eventJson, outFile, timeoutArg] = process.argv.slice(2);
const { handler } = require(bundle);

// Lambda's context: the time left of the invocation's timeout (none given: Lambda's 15 minutes),
// counted from the handler's call, as Lambda does: loading the module (init) is not part of it.
const deadline = Date.now() + (timeoutArg ? Number(timeoutArg) : 900_000);
const context = {
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  functionName: 'okta-ownership-scanner',
  awsRequestId: 'local-invocation',
};

const done = (outcome) => {
  writeFileSync(outFile, JSON.stringify(outcome));
  // The AWS SDK's keep-alive sockets would hold the process open; Lambda freezes it instead.
  process.exit(0);
};

handler(JSON.parse(eventJson), context).then(
  (result) => done({ ok: true, result }),
  (error) =>
    done({
      ok: false,
      message: String(error?.message ?? error),
      problems: error?.problems ?? null,
      // What Lambda's Node.js runtime reports for an unhandled error: errorType is the error's name.
      errorType: typeof error?.name === 'string' ? error.name : 'Error',
    }),
);
