// The compliance controls rules map to: one home for their names, so a report, the rule
// catalogue and any writer (HTML, OCSF, ASFF) spell them the same way. A rule names a control only
// where the control's own text says what the rule checks.

/** A control of a published framework that a rule's FAIL is a finding against. */
export interface ComplianceRef {
  framework: string;
  control: string;
}

const STIG = 'DISA Okta IDaaS STIG V1R2';
const NHI = 'OWASP Non-Human Identities Top 10 (2025)';

export const CONTROLS = {
  /**
   * V-279690 / OKTA-APP-003241, "Okta API tokens must be created under new dedicated user
   * accounts": a dedicated account per token, scoped to least privilege, never a Super Admin.
   * https://stigui.com/stigs/Okta_IDaaS_STIG/groups/V-279690
   */
  stigTokenDedicatedAccount: { framework: STIG, control: 'V-279690' },
  /**
   * V-279689 / OKTA-APP-003240, "Okta API tokens must be configured with Network Zones to
   * restrict authorization from known networks".
   * https://stigui.com/stigs/Okta_IDaaS_STIG/groups/V-279689
   */
  stigTokenNetworkZone: { framework: STIG, control: 'V-279689' },
  /**
   * NHI1 Improper Offboarding: credentials left active "when the original owner departs" (orphaned).
   * https://owasp.org/www-project-non-human-identities-top-10/2025/1-improper-offboarding
   */
  nhiImproperOffboarding: { framework: NHI, control: 'NHI1:2025' },
  /**
   * NHI4 Insecure Authentication: authentication methods that are deprecated or weak.
   * https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
   */
  nhiInsecureAuthentication: { framework: NHI, control: 'NHI4:2025' },
  /**
   * NHI5 Overprivileged NHI: far more privilege than the integration needs.
   * https://owasp.org/www-project-non-human-identities-top-10/2025/top-10-2025
   */
  nhiOverprivileged: { framework: NHI, control: 'NHI5:2025' },
} as const satisfies Record<string, ComplianceRef>;

/** "DISA Okta IDaaS STIG V1R2 V-279690", for tables and one-line lists. */
export function complianceLabel(ref: ComplianceRef): string {
  return `${ref.framework} ${ref.control}`;
}
