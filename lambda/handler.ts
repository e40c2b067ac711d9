// Placeholder so the CDK stack can bundle an entry point; replaced by the real handler (issue 5).
export async function handler(): Promise<never> {
  throw new Error('handler not implemented yet');
}
