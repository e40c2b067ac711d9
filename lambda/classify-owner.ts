import type { ScannerConfig } from './config';
import type { Inventory, OwnerUser } from './domain/inventory';
import type { OwnerClassification } from './domain/rule';

// Okta has no "service account" flag (docs/okta-facts.md#users-groups-and-roles): the config names
// the signals that make one. An owner is `service` on any signal, `human` only when it was read
// completely and has none, and `unknown` whenever what could not be read might have changed the
// answer.

type ServiceAccounts = ScannerConfig['serviceAccounts'];

interface CompiledSignals {
  userIds: ReadonlySet<string>;
  groups: ReadonlySet<string>;
  userTypes: ReadonlySet<string>;
  loginPatterns: readonly { source: string; regex: RegExp }[];
}

// Configs are frozen values parsed once, so their compiled form can be cached by identity.
const compiledCache = new WeakMap<ServiceAccounts, CompiledSignals>();

function compile(serviceAccounts: ServiceAccounts): CompiledSignals {
  const cached = compiledCache.get(serviceAccounts);
  if (cached) return cached;
  const compiled: CompiledSignals = {
    userIds: new Set(serviceAccounts.userIds),
    groups: new Set(serviceAccounts.groups.map((g) => g.toLowerCase())),
    userTypes: new Set(serviceAccounts.userTypes.map((t) => t.toLowerCase())),
    loginPatterns: serviceAccounts.loginPatterns.map((source) => ({ source, regex: new RegExp(source, 'i') })),
  };
  compiledCache.set(serviceAccounts, compiled);
  return compiled;
}

function serviceSignals(userId: string, user: OwnerUser | undefined, signals: CompiledSignals): string[] {
  const found: string[] = [];
  if (signals.userIds.has(userId)) found.push('user id listed in serviceAccounts.userIds');
  if (!user) return found;
  for (const group of user.groups ?? []) {
    if (signals.groups.has(group.name.toLowerCase())) found.push(`member of group "${group.name}"`);
  }
  const userType = user.profile.userType;
  if (userType !== null && signals.userTypes.has(userType.toLowerCase())) found.push(`profile.userType=${userType}`);
  for (const pattern of signals.loginPatterns) {
    if (pattern.regex.test(user.login)) found.push(`login matches /${pattern.source}/i`);
  }
  return found;
}

/**
 * Classifies the user an integration depends on. A deleted user (Okta answered 404) is
 * `unknown` with `missing: true`, status null and the signal "user not found in Okta (deleted)";
 * the owner-not-active rules treat that as a failure, the kind rules as "could not be checked".
 */
export function classifyOwner(
  userId: string,
  inventory: Inventory,
  serviceAccounts: ScannerConfig['serviceAccounts'],
): OwnerClassification {
  const compiled = compile(serviceAccounts);
  const user = Object.hasOwn(inventory.users, userId) ? inventory.users[userId] : undefined;
  const signals = serviceSignals(userId, user, compiled);

  if (!user) {
    const missing = inventory.missingUserIds.includes(userId);
    const reason = missing ? 'user not found in Okta (deleted)' : 'user could not be read from Okta';
    return {
      id: userId,
      login: null,
      status: null,
      kind: signals.length > 0 ? 'service' : 'unknown',
      signals: [...signals, reason],
      user: null,
      missing,
    };
  }

  const base = { id: user.id, login: user.login, status: user.status, user, missing: false };
  if (signals.length > 0) return { ...base, kind: 'service', signals };

  const described =
    user.profile.userType === null ? 'no profile.userType' : `profile.userType=${user.profile.userType}`;
  if (user.groups === null) {
    return {
      ...base,
      kind: 'unknown',
      signals: [described, 'groups could not be read: a service-account group membership cannot be ruled out'],
    };
  }
  return { ...base, kind: 'human', signals: [described, 'no service-account signal'] };
}

/** A memoised classifier for one scan: each referenced user is classified once. */
export function ownerClassifier(
  inventory: Inventory,
  serviceAccounts: ScannerConfig['serviceAccounts'],
): (userId: string) => OwnerClassification {
  const memo = new Map<string, OwnerClassification>();
  return (userId) => {
    let classification = memo.get(userId);
    if (!classification) {
      classification = classifyOwner(userId, inventory, serviceAccounts);
      memo.set(userId, classification);
    }
    return classification;
  };
}
