import type { Finding } from '../domain/finding';

// The controls a finding maps to (interfaces.md "Additions": every finding may carry
// `compliance: [{ framework, control }]`). Read optionally: reports from before the mappings,
// and rules without one, have none.

export interface ComplianceRef {
  framework: string;
  control: string;
}

export function complianceOf(finding: Finding): ComplianceRef[] {
  const refs = (finding as Finding & { compliance?: unknown }).compliance;
  if (!Array.isArray(refs)) return [];
  return refs.filter(
    (r): r is ComplianceRef =>
      typeof r === 'object' && r !== null && typeof r.framework === 'string' && typeof r.control === 'string',
  );
}
