import type { PeopleReport } from '../domain/people';
import { peopleReport } from '../people';
import type { Redactor } from '../redact';
import { renderPeopleCsv } from '../sinks/report-people-csv';
import { renderPeopleJson } from '../sinks/report-people-json';
import { renderPeopleTable } from '../sinks/report-people-table';
import type { CliIo, CommandLine } from './args';
import { type Output, writeText } from './output';
import { planScan, readOrgWithProgress } from './scan-command';

// `okta-scan people`: the same scan as `okta-scan`, answered as the accounts integrations run
// on, worst first. Exit 0, or 3 when the scan could not read everything (people may be missing).

function render(people: PeopleReport, out: Output, concentrationThreshold: number): string {
  if (out.format === 'json') return renderPeopleJson(people);
  if (out.format === 'csv') return renderPeopleCsv(people);
  return renderPeopleTable(people, { width: out.width, color: out.color, concentrationThreshold });
}

export async function runPeopleCommand(
  line: CommandLine,
  io: CliIo,
  cwd: string,
  redactor: Redactor,
  out: Output,
): Promise<number> {
  const plan = planScan(line, io, cwd, redactor);
  const quiet = line.values.quiet === true;
  const read = await readOrgWithProgress(plan, quiet, redactor, io, cwd);
  const people = peopleReport(read.result.report, read.result.inventory, { config: plan.config, now: read.now });
  await out.emit(render(people, out, plan.config.concentrationThreshold));
  if (!quiet) {
    const leaving = people.people.filter((p) => p.leaving).length;
    const summary = `okta-scan: ${people.people.length} account(s) with integrations in ${people.org}, ${leaving} leaving; scan ${people.status}${people.status === 'incomplete' ? ' (exit 3)' : ''}\n`;
    await writeText(io.stderr, redactor.scrub(summary));
  }
  return people.status === 'incomplete' ? 3 : 0;
}
