import type { PeopleReport } from '../domain/people';

// The people view for machines: exactly interfaces.md "People", 2-space indented.

export function renderPeopleJson(report: PeopleReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
