// By name: a caller's client may come from another copy of the SDK than this module's, so
// `instanceof` would miss it. The name is DynamoDB's wire error code, not a class name: AWS SDK v3
// exceptions set `name` from a string literal, which survives the minified bundle (test/bundle runs
// the built handler).
export function isConditionalFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}
