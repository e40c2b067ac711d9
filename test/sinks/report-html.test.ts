import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getRule } from '../../lambda/rules';
import { escapeHtml, jsonForScript } from '../../lambda/sinks/html-escape';
import { renderReportHtml } from '../../lambda/sinks/report-html';
import { finding, sampleReport } from '../cli/report-schema';

const EVIL = `</script><script>alert(1)</script><img src=x onerror="alert(2)">'\u2028`;

function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
}

describe('escaping for the HTML report', () => {
  it('escapes markup and both quote kinds, so text and attribute values stay text', () => {
    expect(escapeHtml(`<b a="1" b='2'>&amp;</b>`)).toBe('&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;amp;&lt;/b&gt;');
    expect(escapeHtml(null)).toBe('');
  });

  it('embeds JSON that cannot close its script element and still parses to the same value', () => {
    const value = { name: EVIL, comment: '<!-- x -->' };
    const embedded = jsonForScript(value);
    expect(embedded).not.toMatch(/[<>\u2028\u2029]/);
    expect(JSON.parse(embedded)).toEqual(value);
  });
});

describe('HTML report', () => {
  const hostile = finding({
    resource: { type: 'api_token', id: '00T"><x', name: EVIL },
    owner: { id: '00u1', login: `eve"onmouseover="alert(3)@acme.com`, status: 'ACTIVE', kind: 'human', signals: [] },
    message: EVIL,
    evidence: { label: EVIL },
  });

  it('renders values from Okta as text in content, attributes and the embedded JSON', () => {
    const html = renderReportHtml(sampleReport([hostile]), { describeRule: getRule });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onmouseover="');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    expect(html).toContain('data-owner="eve&quot;onmouseover=&quot;alert(3)@acme.com"');
    // The page's own script, and no other executable one.
    expect(inlineScripts(html)).toHaveLength(1);
    const json = html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)?.[1] ?? '';
    expect(JSON.parse(json).findings[0].resource.name).toBe(EVIL);
  });

  it('admits only its own inline style and script, by hash, and nothing from any host', () => {
    const html = renderReportHtml(sampleReport([finding()]));
    const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '';
    const [script] = inlineScripts(html);
    const style = html.match(/<style>([\s\S]*?)<\/style>/)?.[1] ?? '';
    const hash = (text: string): string => createHash('sha256').update(text).digest('base64');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`script-src 'sha256-${hash(script)}'`);
    expect(csp).toContain(`style-src 'sha256-${hash(style)}'`);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('puts an incomplete scan and the sources it could not read at the top', () => {
    const errors = [{ source: 'apiTokens', message: 'HTTP 403 E0000006', requiredScope: 'okta.apiTokens.read' }];
    const html = renderReportHtml(sampleReport([finding({ status: 'UNKNOWN' })], { status: 'incomplete', errors }));
    const header = html.slice(html.indexOf('<header>'), html.indexOf('</header>'));
    expect(header).toContain('Scan INCOMPLETE');
    expect(header).toContain('<b>apiTokens</b>: HTTP 403 E0000006');
    expect(header).toContain('okta.apiTokens.read');
    expect(header).not.toContain('Every source the rules need was read');
  });

  it('names a source the org does not have, from the UNKNOWN findings that rest on it', () => {
    const unknown = finding({
      status: 'UNKNOWN',
      evidence: { unreadSource: 'workflowsConnections', reason: 'E0000015: feature not enabled' },
    });
    const html = renderReportHtml(sampleReport([unknown]));
    const header = html.slice(html.indexOf('<header>'), html.indexOf('</header>'));
    expect(header).toContain('1 source(s) not available in this org');
    expect(header).toContain('<b>workflowsConnections</b>: E0000015: feature not enabled');
  });

  it('counts the open findings of each owner by severity in the people section', () => {
    const html = renderReportHtml(
      sampleReport([
        finding({ id: 'a', severity: 'critical' }),
        finding({ id: 'b', severity: 'high', resource: { type: 'ad_agent', id: 'a1', name: 'DC1' } }),
        finding({ id: 'c', status: 'PASS', severity: 'low' }),
      ]),
    );
    const people = html.slice(html.indexOf('id="people"'), html.indexOf('id="findings"'));
    const row = people.match(/<tr><td>alice@acme\.com[\s\S]*?<\/tr>/)?.[0] ?? '';
    const numbers = [...row.matchAll(/<td class="n">(\d+)<\/td>/g)].map((m) => Number(m[1]));
    // critical, high, medium, low, info, integrations: the PASS does not count.
    expect(numbers).toEqual([1, 1, 0, 0, 0, 2]);
  });

  it('groups findings by rule with the rule title, and shows compliance mappings when a finding has them', () => {
    const mapped = { ...finding(), compliance: [{ framework: 'DISA Okta IDaaS STIG V1R2', control: 'V-279690' }] };
    const html = renderReportHtml(sampleReport([mapped]), { describeRule: getRule });
    expect(html).toContain(`data-rule="api-token-owner-is-human"><h3>${getRule('api-token-owner-is-human')?.title}`);
    expect(html).toContain('<li>DISA Okta IDaaS STIG V1R2: V-279690</li>');
  });
});
