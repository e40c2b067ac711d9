// The rules grouped by what they judge, from their metadata: a new rule joins its group (and the
// fuzz tests' "every resource gets a verdict" checks) without editing a list.
import type { ResourceType } from '../../lambda/domain/finding';
import type { Rule } from '../../lambda/domain/rule';
import { RULES } from '../../lambda/rules';

const idsWhere = (keep: (rule: Rule) => boolean): string[] => RULES.filter(keep).map((r) => r.id);

/** Rules that give every resource of the type a verdict. */
const judgingEvery = (type: ResourceType): string[] =>
  idsWhere((r) => r.resourceType === type && r.judgesEveryResource !== false);

export const TOKEN_RULES = judgingEvery('api_token');
export const AGENT_RULES = judgingEvery('ad_agent');
export const WORKFLOWS_RULES = judgingEvery('workflows_connection');

/** App rules that judge every app Okta pushes users to (or may: what would tell was not read). */
export const PUSH_RULES = idsWhere((r) => r.judgesApps === 'pushing-users' && r.judgesEveryResource !== false);

/** App rules that judge every app whose provisioning connection is (or may be) in use. */
export const CONNECTION_RULES = idsWhere((r) => r.judgesApps === 'using-connection' && r.judgesEveryResource !== false);
