import { describe, expect, it } from 'vitest';
import { csvCell, REPORT_CSV_COLUMNS, renderReportCsv } from '../../lambda/sinks/report-csv';
import { finding, sampleReport } from '../cli/report-schema';

/** A small RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('CSV report writer', () => {
  it('writes a header row and one row per finding', () => {
    const report = sampleReport([finding(), finding({ id: 'f-2', status: 'PASS', owner: null })]);
    const rows = parseCsv(renderReportCsv(report));
    expect(rows[0]).toEqual([...REPORT_CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual([
      'f-1',
      'api-token-owner-is-human',
      'FAIL',
      'high',
      'api_token',
      '00T1',
      'SIEM export',
      'alice@acme.com',
      'ACTIVE',
      'human',
      'API token "SIEM export" is owned by alice@acme.com, a person.',
      'Recreate the token as a service account.',
    ]);
    expect(rows[2].slice(7, 10)).toEqual(['', '', '']);
  });

  it('quotes commas, quotes and line breaks so every row keeps its columns', () => {
    const report = sampleReport([finding({ resource: { type: 'api_token', id: '00T2', name: 'a, "b"\nc' } })]);
    const rows = parseCsv(renderReportCsv(report));
    expect(rows[1][6]).toBe('a, "b"\nc');
    expect(rows.every((r) => r.length === REPORT_CSV_COLUMNS.length)).toBe(true);
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)']) {
      expect(csvCell(evil).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    const rows = parseCsv(
      renderReportCsv(
        sampleReport([finding({ resource: { type: 'api_token', id: '00T3', name: '=cmd|"/c calc"!A1' } })]),
      ),
    );
    expect(rows[1][6]).toBe('\'=cmd|"/c calc"!A1');
  });

  it('leaves ordinary text as it is', () => {
    expect(csvCell('SIEM export')).toBe('SIEM export');
    expect(csvCell(null)).toBe('');
  });
});
