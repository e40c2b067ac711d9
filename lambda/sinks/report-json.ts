import type { Report } from '../domain/finding';
import type { WhatIfReport } from '../domain/whatif';

// The machine-readable report: exactly the schema of docs/report-schema.md, 2-space indented.

export function renderReportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function renderWhatIfJson(answer: WhatIfReport): string {
  return `${JSON.stringify(answer, null, 2)}\n`;
}
