// By name: a caller's client may come from another copy of the SDK than this module's, so
// `instanceof` would miss it. The name is DynamoDB's wire error code, not a class name of ours.
export function isConditionalFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}
