import type { ComplianceRef } from './compliance';
import type { FindingOwner, ResourceRef, ResourceType, Severity } from './finding';
import type { Inventory, OwnerUser, SourceName } from './inventory';
import type { LeaversSettings } from './leaving';

/** How an owner was classified, and the user record when it could be read. */
export interface OwnerClassification extends FindingOwner {
  user: OwnerUser | null;
  /** true when Okta said the user does not exist (deleted). */
  missing: boolean;
}

/** The settings of the config file that rules read (the engine copies them in). */
export interface RuleSettings {
  /** How many days before an API token expires a rule starts to warn. */
  expiryWarningDays: number;
  /** Who is leaving; absent: owner-leaving judges nothing. */
  leavers?: LeaversSettings;
  /** Days without sign-in before the org's inactivity policy suspends; absent: owner-inactive judges nothing. */
  inactivitySuspendDays?: number;
  /** Days without use after which an API token should be revoked rather than moved. */
  unusedTokenDays: number;
}

/** Everything a rule may use besides the inventory. Rules never read the clock or env themselves. */
export interface RuleContext {
  now: Date;
  settings: RuleSettings;
  classifyOwner(userId: string): OwnerClassification;
}

/** What a rule says about one resource; the engine adds the id, suppressions and defaults. */
export interface RuleResult {
  status: 'PASS' | 'FAIL' | 'UNKNOWN';
  resource: ResourceRef;
  owner?: FindingOwner | null;
  /** One sentence naming the resource, the problem and the owner (or why it could not be checked). */
  message: string;
  /** Overrides the rule's severity for this resource (e.g. a pool with no operational agent left). */
  severity?: Severity;
  /** Overrides the rule's remediation where the resource calls for a more specific one. */
  remediation?: string;
  evidence: Record<string, unknown>;
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  resourceType: ResourceType;
  /**
   * Further types a rule reports on: the rules about the account an integration runs on judge
   * every kind of integration. `resourceType` stands for them all when the rule cannot run.
   */
  otherResourceTypes?: readonly ResourceType[];
  rationale: string;
  remediation: string;
  references: string[];
  /** Inventory sources the rule reads; a failed one makes its verdicts UNKNOWN, never PASS. */
  sources: SourceName[];
  /**
   * The source that lists the rule's resources. When it failed, the engine reports one UNKNOWN
   * row for the whole rule ("<listedWhat> could not be checked: …") and does not run it. Absent
   * for a rule that lists from several sources and reports each unreadable one itself.
   */
  listedFrom?: SourceName;
  /** What the rule checks, as the subject of that UNKNOWN sentence, e.g. "API token owners". */
  listedWhat: string;
  /** Controls a FAIL of this rule is a finding against; empty where no control says it. */
  compliance: readonly ComplianceRef[];
  /**
   * The account whose deactivation breaks the resource, where the verdict is about that account
   * (a service account? still active?): what-if lists these rules for the user's integrations.
   */
  dependsOn?: 'owner' | 'installer' | 'authorizer';
  /**
   * Which provisioning apps an app rule judges: those Okta pushes users to, or those whose
   * connection is in use. An app for which that could not be read is judged.
   */
  judgesApps?: 'pushing-users' | 'using-connection';
  /** false when the rule skips some resources of its kind (and its apps) by design. */
  judgesEveryResource?: false;
  /**
   * Sources read only to describe a resource (e.g. who installed an agent), never to decide its
   * verdict: a scan reads them, but their failure does not turn a verdict into UNKNOWN.
   */
  contextSources?: SourceName[];
  /**
   * false when a resource missing from a scan is no evidence that it is gone (Workflows
   * connections are known only from the System Log window): absence then resolves nothing.
   */
  resolvesByAbsence?: boolean;
  evaluate(inventory: Inventory, ctx: RuleContext): RuleResult[];
}
