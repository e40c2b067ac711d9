import { defineConfig } from 'vitest/config';

// Which project runs which test file. Every test file runs in exactly one: `other`, last, takes
// whatever the named projects do not, and test/projects.test.ts fails when a file matches none or two.
//
// `isolate: false` shares loaded modules between the files of a worker, so the Okta SDK, the
// fake server and aws-cdk-lib load once per worker instead of once per file. A file may join
// such a project only if it leaves nothing behind for the next file: no vi.mock, no mock of a
// client class's prototype that another file's module also mocks, environment restored.

export interface TestProject {
  name: string;
  /** Globs relative to the project root, as vitest takes them. */
  include: string[];
  exclude?: string[];
  isolate: boolean;
}

/** Fast, in memory: no server, no SDK client, no child process (`npm run test:unit`). */
const PURE: TestProject = {
  name: 'pure',
  isolate: false,
  include: [
    'test/rules/**/*.test.ts',
    'test/domain/**/*.test.ts',
    'test/zones/**/*.test.ts',
    'test/{classify-owner,config,engine,org-configs,people,suppressions,whatif,projects}.test.ts',
    'test/sinks/{digest,report-*,sns-notifier}.test.ts',
    'test/okta/connection.test.ts',
    'test/okta/collectors/log-reducers.test.ts',
    'test/fake-okta/scim-filter.test.ts',
    'test/recordings/kinds.test.ts',
    'test/lib/deployment-settings.test.ts',
  ],
};

/** The Okta layer and the fake Okta server, over loopback HTTP. */
const OKTA: TestProject = {
  name: 'okta',
  isolate: false,
  include: [
    'test/okta/**/*.test.ts',
    'test/fake-okta/**/*.test.ts',
    'test/recordings/**/*.test.ts',
    'test/scan.test.ts',
  ],
};

/** The CLI and the Lambda in process, with the fake Okta and dynalite. */
const INTEGRATION: TestProject = {
  name: 'integration',
  isolate: false,
  include: ['test/cli/**/*.test.ts', 'test/lambda/**/*.test.ts', 'test/sinks/dynamo-store.test.ts'],
};

/** vi.mock swaps modules for the whole file: each file gets its own module graph (a file that
 * stops mocking can join a shared project; test/projects.test.ts keeps the mocking ones here). */
const FAULTS: TestProject = { name: 'faults', isolate: true, include: ['test/faults/**/*.test.ts'] };

/** Synthesised CDK apps, each file with its own temp folders and cdk.out checks. */
const CDK: TestProject = { name: 'cdk', isolate: true, include: ['test/lib/**/*.test.ts'] };

/** The built Lambda, run in child processes, alone and as the synthesised state machine's tasks: the slowest files. */
const BUNDLE: TestProject = {
  name: 'bundle',
  isolate: true,
  include: ['test/bundle/**/*.test.ts', 'test/orchestration/state-machine.test.ts'],
};

/** The CLI as npm ci's prepare step builds it, run in child processes. */
const CLI_BUILT: TestProject = { name: 'cli-built', isolate: true, include: ['test/cli-built/**/*.test.ts'] };

const NAMED: TestProject[] = [PURE, OKTA, INTEGRATION, FAULTS, CDK, BUNDLE, CLI_BUILT];

/** Each named project, minus the files an earlier one already took. */
function exclusive(projects: TestProject[]): TestProject[] {
  return projects.map((project, i) => {
    const taken = projects.slice(0, i).flatMap((earlier) => earlier.include);
    return taken.length ? { ...project, exclude: [...(project.exclude ?? []), ...taken] } : project;
  });
}

/** Whatever no named project takes, isolated (the safe default) until someone places it. */
const OTHER: TestProject = {
  name: 'other',
  isolate: true,
  include: ['test/**/*.test.ts'],
  exclude: NAMED.flatMap((project) => project.include),
};

export const TEST_PROJECTS: TestProject[] = [...exclusive(NAMED), OTHER];

/** What vitest excludes by default, kept when a project sets its own exclude. */
export const DEFAULT_EXCLUDE: string[] = ['**/node_modules/**', '**/.git/**'];

export default defineConfig({
  test: {
    // vitest's default is one worker fewer than the cores: a single worker on a 2-core machine.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // The Okta SDK sends every request through a proxy agent when these are set.
      HTTPS_PROXY: '',
      https_proxy: '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    },
    projects: TEST_PROJECTS.map((project) => ({
      extends: true,
      test: {
        name: project.name,
        include: project.include,
        exclude: [...DEFAULT_EXCLUDE, ...(project.exclude ?? [])],
        isolate: project.isolate,
      },
    })),
  },
});
