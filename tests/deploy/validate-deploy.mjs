#!/usr/bin/env node
// Offline validation of MarginGrid's deploy/ folder. No Docker engine and no cluster needed.
//
//   node tests/deploy/validate-deploy.mjs [--dockerfile FILE] [--compose FILE] [--k8s FILE]... [--provided FILE]...
//        [--repo DIR] [--promtool PATH] [--summary-out FILE]
//
// --dockerfile   deploy/Dockerfile, with the .dockerignore of the repository root (dockerfile.mjs)
// --compose      the output of `docker-compose -f deploy/compose/compose.yaml config` (compose.mjs)
// --k8s          the output of `kubectl kustomize <folder>`, one render per option (kubernetes.mjs)
// --provided     objects the operator creates outside the render (e.g. the production Secret), which the
//                manifests may refer to
// --promtool     also run `promtool check config` on the compose Prometheus, as the container sees it
// --summary-out  write what was checked (services, ports, objects, replicas, images) as JSON, for the tests
//
// Prints one `ok` or `FAIL` line per problem or artifact, then `PASSED: ...` or `FAILED: N problem(s)`.
// Exit code 0 when everything passes, 1 on any failure, 2 on bad usage. The checks and the configuration
// contract they enforce are described in tests/deploy/README.md.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { checkDockerfile } from './dockerfile.mjs';
import { checkCompose } from './compose.mjs';
import { checkKubernetes } from './kubernetes.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const OPTIONS = new Set(['--dockerfile', '--compose', '--k8s', '--provided', '--repo', '--promtool', '--summary-out']);

function parseArguments(argv) {
  const options = { '--k8s': [], '--provided': [] };
  for (let i = 0; i < argv.length; i += 2) {
    if (!OPTIONS.has(argv[i]) || argv[i + 1] === undefined) {
      throw new Error(`unknown option or missing value: ${argv[i]}`);
    }
    if (Array.isArray(options[argv[i]])) {
      options[argv[i]].push(argv[i + 1]);
    } else {
      options[argv[i]] = argv[i + 1];
    }
  }
  return options;
}

const loadAll = file => yaml.loadAll(readFileSync(file, 'utf8'));

export function run(argv) {
  const options = parseArguments(argv);
  const repoRoot = path.resolve(options['--repo'] ?? path.join(here, '..', '..'));
  const results = [];
  if (options['--dockerfile']) {
    const ignoreFile = path.join(repoRoot, '.dockerignore');
    results.push(checkDockerfile(readFileSync(options['--dockerfile'], 'utf8'), {
      artifact: `Dockerfile ${options['--dockerfile']}`, repoRoot, ignoreText: existsSync(ignoreFile) ? readFileSync(ignoreFile, 'utf8') : '',
    }));
  }
  if (options['--compose']) {
    results.push(checkCompose(yaml.load(readFileSync(options['--compose'], 'utf8')), {
      artifact: `compose ${options['--compose']}`, repoRoot, promtool: options['--promtool'],
    }));
  }
  const provided = options['--provided'].flatMap(loadAll);
  for (const file of options['--k8s']) {
    results.push(checkKubernetes(loadAll(file), { artifact: `kubernetes ${file}`, provided }));
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let results;
  try {
    results = run(process.argv.slice(2));
  } catch (error) {
    console.error(`usage error: ${error.message}`);
    process.exit(2);
  }
  const options = parseArguments(process.argv.slice(2));
  let problems = 0;
  for (const result of results) {
    for (const problem of result.problems) {
      console.log(`FAIL ${result.artifact}: ${problem}`);
    }
    problems += result.problems.length;
    if (result.problems.length === 0) {
      console.log(`ok   ${result.artifact}: ${result.count} checks`);
    }
  }
  if (options['--summary-out']) {
    writeFileSync(options['--summary-out'], `${JSON.stringify(Object.fromEntries(results.map(r => [r.artifact, r.summary ?? {}])), null, 2)}\n`);
  }
  if (results.length === 0) {
    console.error('nothing to validate: give --dockerfile, --compose or --k8s');
    process.exit(2);
  }
  console.log(problems === 0 ? `PASSED: ${results.length} artifact(s) valid` : `FAILED: ${problems} problem(s)`);
  process.exit(problems === 0 ? 0 : 1);
}
