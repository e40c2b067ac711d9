import { describe, expect, it } from 'vitest';
import { renderReportJson } from '../../lambda/sinks/report-json';
import { finding, reportSchemaProblems, sampleReport } from '../cli/report-schema';

describe('JSON report writer', () => {
  it('writes the report as 2-space JSON that parses back to the same report', () => {
    const report = sampleReport([finding(), finding({ id: 'f-2', status: 'PASS' })]);
    const text = renderReportJson(report);
    expect(text).toMatch(/^\{\n {2}"schemaVersion": 1,\n/);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(report);
  });

  it('keeps the key order of the public schema', () => {
    const parsed = JSON.parse(renderReportJson(sampleReport([finding()])));
    expect(Object.keys(parsed)).toEqual([
      'schemaVersion',
      'scanId',
      'org',
      'startedAt',
      'finishedAt',
      'status',
      'errors',
      'summary',
      'findings',
    ]);
    expect(reportSchemaProblems(parsed)).toEqual([]);
  });

  it('carries the compliance controls a finding may name, and the schema check refuses a malformed one', () => {
    const control = { framework: 'DISA Okta IDaaS STIG V1R2', control: 'V-279690' };
    const parsed = JSON.parse(renderReportJson(sampleReport([finding({ compliance: [control] })])));
    expect(parsed.findings[0].compliance).toEqual([control]);
    expect(reportSchemaProblems(parsed)).toEqual([]);
    parsed.findings[0].compliance = [{ framework: 'DISA Okta IDaaS STIG V1R2' }];
    expect(reportSchemaProblems(parsed)).toEqual([`finding ${parsed.findings[0].id}: bad compliance`]);
  });
});
