import { defineConfig } from 'vitest/config';
import { DEFAULT_EXCLUDE, TEST_PROJECTS } from './test/projects';

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
    // Which file runs where, and why some share modules: test/projects.ts.
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
