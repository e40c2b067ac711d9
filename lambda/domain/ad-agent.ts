// The one fact about AD agents the rules, the collector and what-if share: from 3.18.0 an agent
// registers with OAuth 2.0 and depends on no admin; before that it runs on an API token of the
// Super Administrator who installed it.
// https://support.okta.com/help/s/article/ad-agent-changes-using-oauth-2-0

export const AD_AGENT_OAUTH_VERSION: readonly number[] = [3, 18, 0];

/** Dotted numeric version ("3.17.0.123") as numbers; null when any segment is not a number. */
export function parseVersion(version: string | null): number[] | null {
  if (version === null) return null;
  const match = /^\s*v?(\d+(?:\.\d+)*)\s*$/i.exec(version);
  if (!match) return null;
  return match[1].split('.').map(Number);
}

/** Compares segment by segment as numbers (3.9.1 < 3.18.0); missing segments count as 0. */
export function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** true from 3.18.0, false before it, null when the agent reports no version that can be read. */
export function agentUsesOAuth(version: string | null): boolean | null {
  const parsed = parseVersion(version);
  return parsed === null ? null : compareVersions(parsed, AD_AGENT_OAUTH_VERSION) >= 0;
}

/** Whether the agent's installer may matter: before 3.18.0, or a version that cannot be read. */
export function isTokenBasedAgentVersion(version: string | null): boolean {
  return agentUsesOAuth(version) !== true;
}
