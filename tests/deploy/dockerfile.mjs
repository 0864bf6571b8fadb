// Checks of deploy/Dockerfile without a Docker engine: lint (dockerfile-utils), then what the image must be: an SDK
// build stage whose restore layer holds every project the silo needs, an ASP.NET runtime stage of the same .NET
// version, running as the image's non-root user, exposing the silo's ports, starting the silo.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ast from 'dockerfile-ast';
import utils from 'dockerfile-utils';
import { Checks, checkEnvironmentNames } from './checks.mjs';
import { SILO_PORTS } from './contract.mjs';

export const SILO_PROJECT = 'src/MarginGrid.Silo/MarginGrid.Silo.csproj';
const BUILD_SETTINGS = ['global.json', 'Directory.Build.props', 'Directory.Packages.props'];
const ROOT_USERS = new Set(['', 'root', '0', '0:0', 'root:root']);

/** The silo project and every project it references, directly or not, relative to the repository root. */
export function projectClosure(repoRoot, project = SILO_PROJECT, found = new Set()) {
  if (found.has(project)) {
    return found;
  }
  found.add(project);
  const file = path.join(repoRoot, project);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const [, include] of text.matchAll(/<ProjectReference\s+Include="([^"]+)"/g)) {
    projectClosure(repoRoot, path.posix.normalize(path.posix.join(path.posix.dirname(project), include.replaceAll('\\', '/'))), found);
  }
  return found;
}

/** A .dockerignore as a predicate over context-relative paths (last matching pattern wins; `!` re-includes). */
export function dockerignore(text) {
  const rules = text.split('\n').map(l => l.trim()).filter(l => l && !l.startsWith('#')).map(line => {
    const include = line.startsWith('!');
    const pattern = (include ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
    const source = pattern.split('/').map(part => (part === '**' ? '.*'
      : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))).join('/').replace(/\.\*\//g, '(?:.*/)?');
    return { include, expression: new RegExp(`^${source}$`) };
  });
  return relative => {
    const parts = relative.replace(/^\.\/|\/$/g, '').split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) {
      if (prefixes.some(p => rule.expression.test(p))) {
        ignored = !rule.include;
      }
    }
    return ignored;
  };
}

/** The instructions of each stage, with the stage's base image and name. */
function stages(dockerfile) {
  const result = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      result.push({ from: instruction, name: instruction.getBuildStage(), instructions: [] });
    } else if (result.length > 0) {
      result.at(-1).instructions.push(instruction);
    }
  }
  return result;
}

const argumentsOf = instruction => instruction.getArguments().map(a => a.getValue());

export function checkDockerfile(text, { artifact = 'Dockerfile', repoRoot, ignoreText = '' }) {
  const checks = new Checks(artifact);
  for (const diagnostic of utils.validate(text)) {
    checks.fail(`line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
  }
  const [build, ...rest] = stages(ast.DockerfileParser.parse(text));
  const runtime = rest.at(-1);
  if (!checks.expect(build && runtime, 'needs a build stage and a runtime stage')) {
    return checks;
  }
  const props = readFileSync(path.join(repoRoot, 'Directory.Build.props'), 'utf8');
  const dotnet = /<TargetFramework>net(\d+\.\d+)<\/TargetFramework>/.exec(props)?.[1];
  checks.expect(build.from.getImage() === `mcr.microsoft.com/dotnet/sdk:${dotnet}`, `the build stage must be FROM mcr.microsoft.com/dotnet/sdk:${dotnet} (TargetFramework net${dotnet}), is ${build.from.getImage()}`);
  checks.expect(runtime.from.getImage() === `mcr.microsoft.com/dotnet/aspnet:${dotnet}`, `the runtime stage must be FROM mcr.microsoft.com/dotnet/aspnet:${dotnet}, is ${runtime.from.getImage()}`);
  const sdk = JSON.parse(readFileSync(path.join(repoRoot, 'global.json'), 'utf8')).sdk ?? {};
  checks.expect(String(sdk.version ?? `${dotnet}.`).startsWith(`${dotnet}.`) && sdk.rollForward !== 'disable',
    `global.json pins SDK ${sdk.version} (rollForward ${sdk.rollForward}), which the sdk:${dotnet} image may not carry`);

  const ignored = dockerignore(ignoreText);
  checkBuildStage(checks, build, repoRoot, ignored);
  checkRuntimeStage(checks, runtime, build.name, repoRoot);
  for (const folder of ['src/MarginGrid.Silo/bin', 'src/MarginGrid.Silo/obj', '.git', 'tests/deploy/node_modules']) {
    checks.expect(ignored(folder), `.dockerignore does not leave out ${folder}`);
  }
  return checks;
}

function checkBuildStage(checks, build, repoRoot, ignored) {
  const copies = build.instructions.filter(i => ['COPY', 'ADD'].includes(i.getKeyword()) && !i.getFromFlag?.());
  for (const copy of copies) {
    for (const source of argumentsOf(copy).slice(0, -1)) {
      checks.expect(existsSync(path.join(repoRoot, source)), `${copy.getKeyword()} ${source}: not in the build context (the repository root)`);
      checks.expect(!ignored(source), `${copy.getKeyword()} ${source}: left out of the build context by .dockerignore`);
    }
  }
  const runs = build.instructions.filter(i => i.getKeyword() === 'RUN');
  const restore = runs.find(i => i.getArgumentsContent().includes('dotnet restore'));
  if (checks.expect(restore, 'the build stage has no RUN dotnet restore')) {
    const line = restore.getRange().start.line;
    const placed = new Map(copies.filter(c => c.getRange().start.line < line).flatMap(c => {
      const values = argumentsOf(c);
      return values.slice(0, -1).map(source => [source, values.at(-1)]);
    }));
    for (const file of [...BUILD_SETTINGS, ...projectClosure(repoRoot)]) {
      const folder = path.posix.dirname(file);
      const target = placed.get(file)?.replace(/\/?$/, '/');
      checks.expect(target === (folder === '.' ? './' : `${folder}/`),
        `${file} is not copied to ${folder === '.' ? './' : `${folder}/`} before dotnet restore (the restore layer needs every project the silo references)`);
    }
  }
  const publish = runs.find(i => i.getArgumentsContent().includes('dotnet publish'));
  checks.expect(publish && argumentsOf(publish).includes(SILO_PROJECT) && /(^|\s)(-o|--output)\s+\/app(\s|$)/.test(publish.getArgumentsContent()),
    `the build stage must RUN dotnet publish ${SILO_PROJECT} -o /app`);
}

function checkRuntimeStage(checks, runtime, buildName, repoRoot) {
  const all = keyword => runtime.instructions.filter(i => i.getKeyword() === keyword);
  checks.expect(all('COPY').some(c => c.getFromFlag()?.getValue() === buildName && argumentsOf(c)[0] === '/app'), `the runtime stage must COPY --from=${buildName} /app`);
  const user = all('USER').at(-1);
  checks.expect(user && !ROOT_USERS.has(argumentsOf(user).join(' ')), `the runtime stage must run as a non-root USER (the image's $APP_UID), is ${user ? argumentsOf(user).join(' ') : 'root (no USER)'}`);
  const exposed = all('EXPOSE').flatMap(argumentsOf).map(p => Number(p.split('/')[0]));
  for (const [name, { port }] of Object.entries(SILO_PORTS)) {
    checks.expect(exposed.includes(port), `the runtime stage does not EXPOSE ${port} (${name})`);
  }
  const env = Object.fromEntries(all('ENV').flatMap(e => e.getProperties()).map(p => [p.getName(), p.getValue()]));
  checkEnvironmentNames(checks, 'the runtime stage', Object.keys(env), { silo: true });
  checks.expect(Number(env[SILO_PORTS.http.setting]) === SILO_PORTS.http.port, `the runtime stage must set ENV ${SILO_PORTS.http.setting}=${SILO_PORTS.http.port}`);

  const project = readFileSync(path.join(repoRoot, SILO_PROJECT), 'utf8');
  const assembly = /<AssemblyName>([^<]+)<\/AssemblyName>/.exec(project)?.[1] ?? path.basename(SILO_PROJECT, '.csproj');
  const entrypoint = all('ENTRYPOINT').at(-1);
  const command = entrypoint?.getJSONStrings?.().map(s => s.getJSONValue()) ?? [];
  checks.expect(JSON.stringify(command) === JSON.stringify(['dotnet', `${assembly}.dll`]),
    `the runtime stage must end with ENTRYPOINT ["dotnet", "${assembly}.dll"] (exec form, so the silo gets SIGTERM), is ${entrypoint?.getArgumentsContent() ?? 'missing'}`);
}
