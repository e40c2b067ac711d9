// CI reads a plain "N passed, N failed" line; vitest's own summary is not one it recognises.
import { readFileSync } from 'node:fs';

let report;
try {
  report = JSON.parse(readFileSync('.vitest-report.json', 'utf8'));
} catch (error) {
  console.error(`No vitest JSON report: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
// A test file that fails to load has no failed test in it but fails the run: count it.
const failed = report.numFailedTests + report.numFailedTestSuites;
console.log(`${report.numPassedTests} passed, ${failed} failed`);
process.exit(report.success && failed === 0 && report.numPassedTests > 0 ? 0 : 1);
