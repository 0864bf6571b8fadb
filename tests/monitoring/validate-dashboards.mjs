#!/usr/bin/env node
// Offline validation of MarginGrid's Grafana dashboards (dashboards/*.json). No Grafana needed.
//
//   node tests/monitoring/validate-dashboards.mjs [--metrics-out FILE] [--rules-metrics-out FILE]
//        [--dashboards DIR] [--rules DIR] [--promtool PATH] [--keep-rules FILE] [--check-schema] [--no-promtool]
//
// 1. Each dashboard is validated against the JSON Schema of Grafana's dashboard model, generated from
//    @grafana/schema (schema/grafana-dashboard.schema.json, committed; see generate-schema.mjs).
// 2. MarginGrid's own rules: the expected uids, the template variables (datasource, job, instance, and
//    market on the market dashboard), links between the three dashboards, unique panel ids, a grid
//    layout without overlaps, a description on every panel, only known $variables; and the Grafana
//    provisioning files in dashboards/provisioning/.
// 3. Every PromQL expression (panel targets and the selectors inside variable queries) is parsed with
//    Prometheus's own grammar (@prometheus-io/lezer-promql) to check that every series selector carries
//    job=~"$job" and instance=~"$instance"; then, with the variables replaced by concrete values and
//    $__rate_interval / $__interval by 1m, all expressions are written to a throwaway rules file that
//    `promtool check rules` must accept.
// 4. The metric names the dashboards query (as exposed: histogram series as _bucket / _count / _sum) are
//    written, sorted, one per line, to --metrics-out. --rules-metrics-out does the same for the series
//    the Prometheus rules read (recorded series and Prometheus's own `up` left out).
//
// Exit code 0 when everything passes, 1 on any failure (each printed as a FAIL line), 2 on bad usage.
import { readFileSync, writeFileSync, readdirSync, existsSync, mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import yaml from 'js-yaml';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');

// ------------------------------------------------------------------------------------------ configuration
/** The dashboards that must exist, and the variables each must define (beyond the common ones). */
const EXPECTED_DASHBOARDS = {
  'margingrid-overview': { variables: [] },
  'margingrid-market': { variables: ['market'] },
  'margingrid-grid-health': { variables: [] },
};
const COMMON_VARIABLES = ['datasource', 'job', 'instance'];
const DATASOURCE_UID = '${datasource}';
/** Concrete values for promtool; any $variable not listed here (nor built in) is an error. */
const VARIABLE_VALUES = {
  job: 'margingrid',
  instance: '127.0.0.1:8080',
  market: 'BTCUSDT',
  asset: 'USDT',
};
/** Grafana's built-in variables that may appear in a query, and what they become for promtool. */
const BUILTIN_VALUES = {
  __rate_interval: '1m',
  __interval: '1m',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
  __interval_ms: '60000',
};
/**
 * Keys Grafana writes when it exports a dashboard that its schema does not describe; dropped before the
 * schema check so a dashboard exported from the UI validates as is (variable `definition` repeats `query`).
 */
const EXPORT_ONLY_VARIABLE_KEYS = ['definition'];
/** Variables every series selector of a panel query must filter on, with this exact matcher. */
const REQUIRED_MATCHERS = [
  { label: 'job', op: '=~', value: '$job' },
  { label: 'instance', op: '=~', value: '$instance' },
];

// ------------------------------------------------------------------------------------------ arguments
function parseArgs(argv) {
  const opts = {
    dashboards: path.join(repoRoot, 'dashboards'),
    rules: path.join(repoRoot, 'deploy', 'prometheus', 'rules'),
    promtool: process.env.PROMTOOL || 'promtool',
    metricsOut: null,
    rulesMetricsOut: null,
    keepRules: null,
    checkSchema: false,
    runPromtool: true,
  };
  const valueOf = (i, name) => {
    if (i + 1 >= argv.length) usage(`${name} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--metrics-out': opts.metricsOut = path.resolve(valueOf(i, a)); i++; break;
      case '--rules-metrics-out': opts.rulesMetricsOut = path.resolve(valueOf(i, a)); i++; break;
      case '--dashboards': opts.dashboards = path.resolve(valueOf(i, a)); i++; break;
      case '--rules': opts.rules = path.resolve(valueOf(i, a)); i++; break;
      case '--promtool': opts.promtool = valueOf(i, a); i++; break;
      case '--keep-rules': opts.keepRules = path.resolve(valueOf(i, a)); i++; break;
      case '--check-schema': opts.checkSchema = true; break;
      case '--no-promtool': opts.runPromtool = false; break;
      case '-h': case '--help': usage(null); break;
      default: usage(`unknown argument ${a}`);
    }
  }
  return opts;
}

function usage(error) {
  const text = `usage: node tests/monitoring/validate-dashboards.mjs [options]
  --metrics-out FILE        write the metric names the dashboards query, one per line
  --rules-metrics-out FILE  write the metric names the Prometheus rules read, one per line
  --dashboards DIR          dashboards folder (default: <repo>/dashboards)
  --rules DIR               Prometheus rules folder (default: <repo>/deploy/prometheus/rules)
  --promtool PATH           promtool binary (default: $PROMTOOL or promtool on PATH)
  --keep-rules FILE         also save the generated rules file of dashboard queries there
  --check-schema            fail if schema/grafana-dashboard.schema.json differs from one generated now
  --no-promtool             skip the promtool step (the grammar check still runs)`;
  if (error) {
    console.error(`error: ${error}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

// ------------------------------------------------------------------------------------------ reporting
const failures = [];
function fail(where, message) {
  failures.push(`${where}: ${message}`);
  console.error(`FAIL ${where}: ${message}`);
}
function ok(message) {
  console.log(`ok   ${message}`);
}

// ------------------------------------------------------------------------------------------ PromQL helpers
/** Replaces $var, ${var} and ${var:format} with fn(name); [[var]] too. */
function substitute(expr, fn) {
  return expr
    .replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}/g, (m, name) => fn(name, m))
    .replace(/\[\[([A-Za-z_][A-Za-z0-9_]*)\]\]/g, (m, name) => fn(name, m))
    .replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, name) => fn(name, m));
}

function variableNames(expr) {
  const names = new Set();
  substitute(expr, (name, m) => { names.add(name); return m; });
  return [...names];
}

function unquote(literal) {
  const q = literal[0];
  const body = literal.slice(1, -1);
  if (q === '`') return body;
  return body.replace(/\\(.)/g, '$1');
}

/**
 * Parses PromQL with Prometheus's lezer grammar. Returns { errors, selectors }, each selector being
 * { metric, matchers: [{label, op, value}], text }.
 */
function analyse(expr) {
  const tree = promqlParser.parse(expr);
  const errors = [];
  const selectors = [];
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) {
        errors.push(`syntax error at offset ${ref.from} near "${expr.slice(Math.max(0, ref.from - 15), ref.from + 15)}"`);
        return;
      }
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const selector = { metric: null, matchers: [], text: expr.slice(ref.from, ref.to) };
      const id = node.getChild('Identifier');
      if (id) selector.metric = expr.slice(id.from, id.to);
      const matchers = node.getChild('LabelMatchers');
      if (matchers) {
        for (let c = matchers.firstChild; c; c = c.nextSibling) {
          if (c.name === 'UnquotedLabelMatcher' || c.name === 'QuotedLabelMatcher') {
            const nameNode = c.getChild('LabelName') ?? c.getChild('QuotedLabelName');
            const opNode = c.getChild('MatchOp');
            const valueNode = c.getChild('StringLiteral');
            if (!nameNode || !opNode || !valueNode) continue;
            let label = expr.slice(nameNode.from, nameNode.to);
            if (nameNode.name === 'QuotedLabelName') label = unquote(label);
            const m = { label, op: expr.slice(opNode.from, opNode.to), value: unquote(expr.slice(valueNode.from, valueNode.to)) };
            selector.matchers.push(m);
            if (m.label === '__name__' && m.op === '=') selector.metric = m.value;
          } else if (c.name === 'QuotedLabelName') {
            selector.metric = unquote(expr.slice(c.from, c.to));
          }
        }
      }
      selectors.push(selector);
    },
  });
  return { errors, selectors };
}

/** What promtool should see: every variable replaced by a concrete value. */
function concrete(expr) {
  return substitute(expr, (name) => BUILTIN_VALUES[name] ?? VARIABLE_VALUES[name] ?? `$${name}`);
}
/** What the grammar check sees: durations made valid, label values left as "$job" etc. */
function durationsOnly(expr) {
  return substitute(expr, (name, m) => BUILTIN_VALUES[name] ?? m);
}

// ------------------------------------------------------------------------------------------ dashboard walk
function allPanels(dashboard) {
  const out = [];
  for (const p of dashboard.panels ?? []) {
    out.push({ panel: p, parentRow: null });
    if (p.type === 'row') for (const c of p.panels ?? []) out.push({ panel: c, parentRow: p });
  }
  return out;
}

function panelLabel(p) {
  return `panel ${p.id ?? '?'} "${p.title ?? ''}"`;
}

/** Queries in a variable: the series selector inside label_values(...) or the expression in query_result(...). */
function variableExpressions(v) {
  const q = typeof v.query === 'string' ? v.query : (v.query && typeof v.query.query === 'string' ? v.query.query : null);
  if (v.type !== 'query' || !q) return [];
  const trimmed = q.trim();
  let m = /^label_values\(\s*(.+)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/s.exec(trimmed);
  if (m) return [{ expr: m[1], kind: 'label_values selector' }];
  if (/^label_values\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)$/.test(trimmed) || /^(label_names|metrics)\(/.test(trimmed)) return [];
  m = /^query_result\((.+)\)$/s.exec(trimmed);
  if (m) return [{ expr: m[1], kind: 'query_result expression' }];
  return [{ expr: trimmed, kind: 'query' }];
}

// ------------------------------------------------------------------------------------------ checks
function checkLayout(where, panels) {
  const cells = new Map();
  for (const p of panels) {
    const g = p.gridPos;
    if (!g) { fail(where, `${panelLabel(p)} has no gridPos`); continue; }
    if (g.x < 0 || g.w <= 0 || g.h <= 0 || g.x + g.w > 24) {
      fail(where, `${panelLabel(p)} gridPos ${JSON.stringify(g)} does not fit the 24-column grid`);
      continue;
    }
    for (let x = g.x; x < g.x + g.w; x++) {
      for (let y = g.y; y < g.y + g.h; y++) {
        const key = `${x},${y}`;
        const other = cells.get(key);
        if (other && other !== p) {
          fail(where, `${panelLabel(p)} overlaps ${panelLabel(other)} at column ${x}, row ${y}`);
          x = g.x + g.w; break;
        }
        cells.set(key, p);
      }
    }
  }
}

function forSchema(d) {
  const copy = structuredClone(d);
  for (const v of copy.templating?.list ?? []) for (const k of EXPORT_ONLY_VARIABLE_KEYS) delete v[k];
  return copy;
}

function checkDashboard(file, d, validators, queries) {
  const where = path.basename(file);
  const expected = EXPECTED_DASHBOARDS[d.uid];

  // Schema.
  if (!validators.dashboard(forSchema(d))) {
    // The dashboard-level errors of the anyOf(Panel, RowPanel) are unreadable: re-validate each panel
    // against the one definition its type selects, and report the rest as they are.
    const panelErrors = [];
    for (const { panel } of allPanels(d)) {
      const v = panel.type === 'row' ? validators.rowPanel : validators.panel;
      if (!v(panel)) panelErrors.push(...v.errors.map((e) => `${panelLabel(panel)}${e.instancePath} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : ''}`));
    }
    const other = validators.dashboard.errors.filter((e) => !/^\/panels\//.test(e.instancePath));
    for (const e of other) {
      fail(where, `schema: ${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : ''}`);
    }
    for (const e of panelErrors) fail(where, `schema: ${e}`);
    if (!other.length && !panelErrors.length) fail(where, `schema: ${validators.dashboard.errors.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
  } else {
    ok(`${where}: valid against the Grafana dashboard schema`);
  }

  // Identity.
  if (!expected) {
    fail(where, `uid "${d.uid}" is not one of ${Object.keys(EXPECTED_DASHBOARDS).join(', ')}`);
  }
  if (typeof d.title !== 'string' || !d.title.trim()) fail(where, 'has no title');
  if (typeof d.schemaVersion !== 'number' || d.schemaVersion < 36) fail(where, `schemaVersion ${d.schemaVersion} is older than 36`);
  if (d.id !== undefined && d.id !== null) fail(where, 'has a fixed numeric "id"; leave it null so Grafana assigns one');
  if (!(d.tags ?? []).includes('margingrid')) fail(where, 'lacks the "margingrid" tag');

  // Variables.
  const vars = new Map((d.templating?.list ?? []).map((v) => [v.name, v]));
  for (const name of [...COMMON_VARIABLES, ...(expected?.variables ?? [])]) {
    if (!vars.has(name)) fail(where, `missing template variable "${name}"`);
  }
  const dsVar = vars.get('datasource');
  if (dsVar && (dsVar.type !== 'datasource' || dsVar.query !== 'prometheus')) fail(where, 'variable "datasource" must be of type datasource with query "prometheus"');
  for (const name of ['job', 'instance', ...(expected?.variables ?? [])]) {
    const v = vars.get(name);
    if (!v) continue;
    if (v.type !== 'query') { fail(where, `variable "${name}" must be a query variable`); continue; }
    const q = typeof v.query === 'string' ? v.query : v.query?.query;
    if (!/^\s*label_values\(/.test(q ?? '')) fail(where, `variable "${name}" must use a label_values(...) query`);
    if (v.datasource?.uid !== DATASOURCE_UID) fail(where, `variable "${name}" must use the $datasource data source`);
  }
  for (const v of vars.values()) {
    if (v.type !== 'query') continue;
    for (const { expr, kind } of variableExpressions(v)) {
      queries.push({ dashboard: d.uid, where: `${where} variable "${v.name}"`, expr, kind, variable: v.name });
    }
  }
  const known = new Set([...vars.keys(), ...Object.keys(BUILTIN_VALUES)]);

  // Links: to every other expected dashboard.
  const linkedUids = new Set();
  for (const l of d.links ?? []) {
    if (l.type === 'link') {
      const m = /\/d\/([A-Za-z0-9_-]+)/.exec(l.url ?? '');
      if (m) linkedUids.add(m[1]);
    } else if (l.type === 'dashboards') {
      for (const [uid] of Object.entries(EXPECTED_DASHBOARDS)) linkedUids.add(`tags:${uid}:${(l.tags ?? []).join(',')}`);
    }
  }
  for (const uid of Object.keys(EXPECTED_DASHBOARDS)) {
    if (uid === d.uid) continue;
    if (!linkedUids.has(uid)) fail(where, `no dashboard link to ${uid} (a link of type "link" with url /d/${uid})`);
  }

  // Panels.
  const entries = allPanels(d);
  const ids = new Map();
  let queryCount = 0;
  for (const { panel: p } of entries) {
    if (ids.has(p.id)) fail(where, `${panelLabel(p)} reuses the id of ${panelLabel(ids.get(p.id))}`);
    ids.set(p.id, p);
    if (p.repeat && !vars.has(p.repeat)) fail(where, `${panelLabel(p)} repeats over undefined variable "${p.repeat}"`);
    for (const name of variableNames(p.title ?? '')) if (!known.has(name)) fail(where, `${panelLabel(p)} title uses undefined variable $${name}`);
    if (p.type === 'row') continue;
    if (!p.title) fail(where, `${panelLabel(p)} has no title`);
    if (!p.description) fail(where, `${panelLabel(p)} has no description (say which question it answers)`);
    if (p.datasource?.uid !== DATASOURCE_UID) fail(where, `${panelLabel(p)} must use the $datasource data source`);
    const targets = p.targets ?? [];
    if (!targets.length) fail(where, `${panelLabel(p)} has no query`);
    const refIds = new Set();
    for (const t of targets) {
      if (refIds.has(t.refId)) fail(where, `${panelLabel(p)} repeats refId ${t.refId}`);
      refIds.add(t.refId);
      if (t.datasource && t.datasource.uid !== DATASOURCE_UID) fail(where, `${panelLabel(p)} query ${t.refId} must use the $datasource data source`);
      if (typeof t.expr !== 'string' || !t.expr.trim()) { fail(where, `${panelLabel(p)} query ${t.refId} has no expr`); continue; }
      queries.push({ dashboard: d.uid, where: `${where} ${panelLabel(p)} query ${t.refId}`, expr: t.expr, kind: 'panel' });
      queryCount++;
    }
  }
  for (const q of queries.filter((x) => x.dashboard === d.uid)) {
    for (const name of variableNames(q.expr)) {
      if (!known.has(name)) fail(q.where, `uses undefined variable $${name}`);
      else if (!(name in BUILTIN_VALUES) && !(name in VARIABLE_VALUES)) fail(q.where, `variable $${name} has no concrete value for promtool; add it to VARIABLE_VALUES in validate-dashboards.mjs`);
    }
  }
  checkLayout(where, (d.panels ?? []));
  for (const p of (d.panels ?? []).filter((x) => x.type === 'row' && x.collapsed)) checkLayout(`${where} row "${p.title}"`, p.panels ?? []);
  ok(`${where}: ${entries.filter((e) => e.panel.type !== 'row').length} panels, ${queryCount} queries, variables ${[...vars.keys()].join(', ')}`);
}

function checkQueries(queries, metrics) {
  for (const q of queries) {
    const { errors, selectors } = analyse(durationsOnly(q.expr));
    for (const e of errors) fail(q.where, `PromQL ${e}: ${q.expr}`);
    if (!selectors.length && q.kind !== 'query') fail(q.where, `no series selector in: ${q.expr}`);
    for (const s of selectors) {
      if (s.metric) metrics.add(s.metric);
      else fail(q.where, `series selector without a metric name: ${s.text}`);
      // The job variable lists jobs, so it cannot filter on itself; the instance variable filters on job only.
      const required = q.variable === 'job' ? [] : q.variable === 'instance' ? REQUIRED_MATCHERS.filter((r) => r.label === 'job') : REQUIRED_MATCHERS;
      for (const r of required) {
        if (!s.matchers.some((m) => m.label === r.label && m.op === r.op && m.value === r.value)) {
          fail(q.where, `selector ${s.text} lacks ${r.label}${r.op}"${r.value}"`);
        }
      }
    }
  }
}

function runPromtool(opts, queries) {
  const groups = new Map();
  const recordToQuery = new Map();
  queries.forEach((q, i) => {
    const group = `dashboard_${q.dashboard.replace(/[^A-Za-z0-9]/g, '_')}`;
    if (!groups.has(group)) groups.set(group, []);
    const record = `grafana_dashboard_query:${group}:q${String(i + 1).padStart(3, '0')}`;
    recordToQuery.set(record, q);
    groups.get(group).push({ record, expr: concrete(q.expr) });
  });
  const text = `# Generated by tests/monitoring/validate-dashboards.mjs: every PromQL query of the dashboards, with the\n# Grafana variables replaced by concrete values, for promtool check rules. Throwaway.\n${yaml.dump({ groups: [...groups].map(([name, rules]) => ({ name, rules })) }, { lineWidth: -1, noRefs: true })}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'margingrid-dashboards-'));
  const file = path.join(dir, 'dashboard-queries.rules.yml');
  try {
    writeFileSync(file, text);
    if (opts.keepRules) {
      mkdirSync(path.dirname(opts.keepRules), { recursive: true });
      writeFileSync(opts.keepRules, text);
    }
    const r = spawnSync(opts.promtool, ['check', 'rules', file], { encoding: 'utf8' });
    if (r.error) {
      fail('promtool', `cannot run "${opts.promtool}" (${r.error.code ?? r.error.message}); install Prometheus's promtool (Debian: apt-get install prometheus), set PROMTOOL, or pass --no-promtool`);
      return;
    }
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
    if (r.status !== 0) {
      fail('promtool', `check rules rejected the dashboard queries:\n${output.split('\n').map((l) => `       ${l}`).join('\n')}`);
      // Point at the panels: promtool names a failing rule by its record name or its index in the group.
      const rejected = new Set([...recordToQuery.keys()].filter((k) => output.includes(k)));
      for (const m of output.matchAll(/group "?([^",]+)"?, rule (\d+)/g)) {
        const rule = groups.get(m[1])?.[Number(m[2]) - 1];
        if (rule) rejected.add(rule.record);
      }
      for (const k of rejected) fail(recordToQuery.get(k).where, `rejected by promtool: ${recordToQuery.get(k).expr}`);
    } else {
      ok(`promtool check rules accepted all ${queries.length} dashboard queries (${output.split('\n').filter((l) => /SUCCESS/.test(l)).join(' ').trim()})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Grafana provisioning files beside the dashboards: a Prometheus data source, a file provider. */
function checkProvisioning(opts) {
  const dir = path.join(opts.dashboards, 'provisioning');
  const load = (name) => {
    const file = path.join(dir, name);
    if (!existsSync(file)) { fail(`provisioning/${name}`, 'missing'); return null; }
    try {
      return yaml.load(readFileSync(file, 'utf8'));
    } catch (e) {
      fail(`provisioning/${name}`, `not valid YAML: ${e.message}`);
      return null;
    }
  };
  const ds = load('datasources.yaml');
  if (ds) {
    const proms = (ds.datasources ?? []).filter((x) => x.type === 'prometheus');
    if (ds.apiVersion !== 1) fail('provisioning/datasources.yaml', 'apiVersion must be 1');
    if (!proms.length) fail('provisioning/datasources.yaml', 'defines no data source of type prometheus');
    for (const x of proms) {
      if (!x.uid) fail('provisioning/datasources.yaml', `data source "${x.name}" has no fixed uid`);
      if (!x.url) fail('provisioning/datasources.yaml', `data source "${x.name}" has no url`);
    }
    if (proms.length && proms.every((x) => x.uid && x.url)) ok(`provisioning/datasources.yaml: Prometheus data source ${proms.map((x) => x.uid).join(', ')}`);
  }
  const db = load('dashboards.yaml');
  if (db) {
    const files = (db.providers ?? []).filter((x) => x.type === 'file');
    if (db.apiVersion !== 1) fail('provisioning/dashboards.yaml', 'apiVersion must be 1');
    if (!files.length) fail('provisioning/dashboards.yaml', 'defines no provider of type file');
    for (const x of files) if (!x.options?.path) fail('provisioning/dashboards.yaml', `provider "${x.name}" has no options.path`);
    if (files.length && files.every((x) => x.options?.path)) ok(`provisioning/dashboards.yaml: file provider reading ${files.map((x) => x.options.path).join(', ')}`);
  }
}

function rulesMetrics(opts) {
  const files = existsSync(opts.rules) ? readdirSync(opts.rules).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  if (!files.length) { fail('rules', `no rule files in ${opts.rules}`); return new Set(); }
  const recorded = new Set();
  const exprs = [];
  for (const f of files) {
    const doc = yaml.load(readFileSync(path.join(opts.rules, f), 'utf8'));
    for (const g of doc?.groups ?? []) {
      for (const r of g.rules ?? []) {
        if (r.record) recorded.add(r.record);
        exprs.push({ where: `${f} ${r.record ?? r.alert}`, expr: String(r.expr) });
      }
    }
  }
  const names = new Set();
  for (const { where, expr } of exprs) {
    const { errors, selectors } = analyse(expr);
    for (const e of errors) fail(where, `PromQL ${e}`);
    for (const s of selectors) if (s.metric && !recorded.has(s.metric) && s.metric !== 'up') names.add(s.metric);
  }
  ok(`rules: ${exprs.length} rules in ${files.join(', ')} read ${names.size} exported metrics`);
  return names;
}

function writeList(file, names, what) {
  mkdirSync(path.dirname(file), { recursive: true });
  const sorted = [...names].sort();
  writeFileSync(file, sorted.length ? `${sorted.join('\n')}\n` : '');
  ok(`wrote ${sorted.length} ${what} to ${path.relative(process.cwd(), file) || file}`);
}

// ------------------------------------------------------------------------------------------ main
async function main() {
  const opts = parseArgs(process.argv.slice(2));

  const schemaFile = path.join(here, 'schema', 'grafana-dashboard.schema.json');
  if (!existsSync(schemaFile)) {
    fail('schema', `${schemaFile} is missing; run: node tests/monitoring/generate-schema.mjs`);
    return finish();
  }
  const schemaText = readFileSync(schemaFile, 'utf8');
  if (opts.checkSchema) {
    const { generateSchema } = await import('./generate-schema.mjs');
    if (generateSchema() !== schemaText) fail('schema', 'schema/grafana-dashboard.schema.json is out of date with the installed @grafana/schema; run: node tests/monitoring/generate-schema.mjs');
    else ok('schema/grafana-dashboard.schema.json matches the installed @grafana/schema');
  }
  const schema = JSON.parse(schemaText);
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addSchema(schema, 'grafana-dashboard');
  const validators = {
    dashboard: ajv.getSchema('grafana-dashboard'),
    panel: ajv.getSchema('grafana-dashboard#/definitions/Panel'),
    rowPanel: ajv.getSchema('grafana-dashboard#/definitions/RowPanel'),
  };

  if (!existsSync(opts.dashboards)) {
    fail('dashboards', `folder ${opts.dashboards} does not exist`);
    return finish();
  }
  const files = readdirSync(opts.dashboards).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(opts.dashboards, f));
  const seenUids = new Map();
  const seenTitles = new Map();
  const queries = [];
  for (const file of files) {
    let d;
    try {
      d = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      fail(path.basename(file), `not valid JSON: ${e.message}`);
      continue;
    }
    if (seenUids.has(d.uid)) fail(path.basename(file), `uid "${d.uid}" is also used by ${seenUids.get(d.uid)}`);
    seenUids.set(d.uid, path.basename(file));
    if (seenTitles.has(d.title)) fail(path.basename(file), `title "${d.title}" is also used by ${seenTitles.get(d.title)}`);
    seenTitles.set(d.title, path.basename(file));
    checkDashboard(file, d, validators, queries);
  }
  for (const uid of Object.keys(EXPECTED_DASHBOARDS)) {
    if (!seenUids.has(uid)) fail('dashboards', `no dashboard with uid "${uid}" in ${opts.dashboards}`);
  }

  checkProvisioning(opts);

  const metrics = new Set();
  checkQueries(queries, metrics);
  ok(`grammar: ${queries.length} queries parsed; every series selector filters on ${REQUIRED_MATCHERS.map((r) => `${r.label}${r.op}"${r.value}"`).join(' and ')}`);
  if (opts.runPromtool) runPromtool(opts, queries);
  else console.log('skip promtool check (--no-promtool)');

  if (opts.metricsOut) writeList(opts.metricsOut, metrics, 'dashboard metric names');
  if (opts.rulesMetricsOut) writeList(opts.rulesMetricsOut, rulesMetrics(opts), 'rule metric names');
  console.log(`metrics queried by the dashboards (${metrics.size}): ${[...metrics].sort().join(' ')}`);
  return finish();
}

function finish() {
  if (failures.length) {
    console.error(`\nFAILED: ${failures.length} problem(s) in the dashboards`);
    process.exit(1);
  }
  console.log('\nPASSED: dashboards are valid');
  process.exit(0);
}

main().catch((e) => {
  console.error(`FAIL validator crashed: ${e.stack ?? e}`);
  process.exit(1);
});
