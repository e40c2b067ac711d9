import type { Finding } from '../domain/finding';

// The table's line about what an integration did, from the usage evidence the token and
// Workflows rules put in their findings (lambda/rules/support/token-usage.ts, workflows.ts).

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** "last used 2026-11-25 · 14 logged changes from 198.51.100.23 with Terraform/1.9.8", or null. */
export function usageLine(finding: Finding): string | null {
  const evidence = finding.evidence;
  const lastUsedAt = typeof evidence.lastUsedAt === 'string' ? evidence.lastUsedAt.slice(0, 10) : null;
  const parts = lastUsedAt ? [`last used ${lastUsedAt}`] : [];
  const usage = evidence.usage as Record<string, unknown> | null | undefined;
  if (usage && typeof usage.changesInWindow === 'number' && usage.changesInWindow > 0) {
    const [ip] = list(usage.ipAddresses);
    // The product token ("Terraform/1.9.8") fits a line; the report's evidence has the whole agent.
    const agent = list(usage.userAgents)[0]?.split(' ')[0];
    parts.push(
      `${plural(usage.changesInWindow, 'logged change')}${ip ? ` from ${ip}` : ''}${agent ? ` with ${agent}` : ''}`,
    );
  } else if (finding.resource.type === 'workflows_connection' && typeof evidence.eventCount === 'number') {
    if (evidence.eventCount > 0) parts.push(`${plural(evidence.eventCount, 'logged change')} by Workflows`);
  }
  return parts.length > 0 ? parts.join(' · ') : null;
}
