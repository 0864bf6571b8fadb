// Self-test of the dashboard validator: it passes the real dashboards and fails broken copies of them.
// Run:  node --test tests/monitoring/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const validator = path.join(here, 'validate-dashboards.mjs');
const dashboards = path.resolve(here, '..', '..', 'dashboards');
const promtool = process.env.PROMTOOL || 'promtool';
const havePromtool = !spawnSync(promtool, ['--version']).error;

function run(args) {
  const r = spawnSync(process.execPath, [validator, ...args], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Copies dashboards/ to a temporary folder, lets `mutate` change one dashboard, validates the copy. */
function validateMutated(file, mutate, extraArgs = ['--no-promtool']) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'margingrid-dash-test-'));
  try {
    cpSync(dashboards, dir, { recursive: true });
    const target = path.join(dir, file);
    const d = JSON.parse(readFileSync(target, 'utf8'));
    mutate(d);
    writeFileSync(target, JSON.stringify(d, null, 2));
    return run(['--dashboards', dir, ...extraArgs]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const firstQueryPanel = (d) => d.panels.find((p) => p.type !== 'row' && p.targets?.length);

test('the committed dashboards pass and the metric list names histogram series as exposed', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'margingrid-dash-test-'));
  try {
    const out = path.join(dir, 'metrics.txt');
    const r = run(['--metrics-out', out, ...(havePromtool ? [] : ['--no-promtool'])]);
    assert.equal(r.status, 0, r.out);
    const names = readFileSync(out, 'utf8').trim().split('\n');
    assert.ok(names.includes('margingrid_tick_to_margin_duration_seconds_bucket'), names.join(' '));
    assert.ok(names.includes('margingrid_liquidations_total'));
    assert.ok(!names.includes('margingrid_tick_to_margin_duration_seconds'), 'base histogram name is not a series');
    assert.deepEqual(names, [...names].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the dashboards are all there', () => {
  assert.deepEqual(readdirSync(dashboards).filter((f) => f.endsWith('.json')).sort(),
    ['margingrid-grid-health.json', 'margingrid-market.json', 'margingrid-overview.json']);
});

test('a selector without the instance matcher fails', () => {
  const r = validateMutated('margingrid-overview.json', (d) => {
    const t = firstQueryPanel(d).targets[0];
    t.expr = t.expr.replace(', instance=~"$instance"', '');
  });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /lacks instance=~"\$instance"/);
});

test('a key the Grafana model does not know fails the schema check', () => {
  const r = validateMutated('margingrid-market.json', (d) => {
    const p = firstQueryPanel(d);
    p.gridpos = p.gridPos;
  });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /schema: .*must NOT have additional properties \(gridpos\)/);
});

test('a wrongly typed field fails the schema check', () => {
  const r = validateMutated('margingrid-market.json', (d) => { d.refresh = 30; });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /schema: \/refresh must be string/);
});

test('a PromQL syntax error fails', () => {
  const r = validateMutated('margingrid-grid-health.json', (d) => {
    firstQueryPanel(d).targets[0].expr += ' +* 2';
  });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /PromQL syntax error/);
});

test('a query promtool rejects (rate of an instant vector) fails', { skip: !havePromtool && 'promtool not installed' }, () => {
  const r = validateMutated('margingrid-grid-health.json', (d) => {
    firstQueryPanel(d).targets[0].expr = 'rate(sum(margingrid_marks_total{job=~"$job", instance=~"$instance"}))';
  }, []);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /promtool: check rules rejected/);
  assert.match(r.out, /rejected by promtool: rate\(sum/);
});

test('an undefined variable fails', () => {
  const r = validateMutated('margingrid-overview.json', (d) => {
    const t = firstQueryPanel(d).targets[0];
    t.expr = t.expr.replace('job=~"$job"', 'job=~"$cluster", job=~"$job"');
  });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /undefined variable \$cluster/);
});

test('a missing market variable, link or uid fails', () => {
  let r = validateMutated('margingrid-market.json', (d) => {
    d.templating.list = d.templating.list.filter((v) => v.name !== 'market');
  });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /missing template variable "market"/);

  r = validateMutated('margingrid-overview.json', (d) => {
    d.links = d.links.filter((l) => !l.url.endsWith('/margingrid-grid-health'));
  });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /no dashboard link to margingrid-grid-health/);

  r = validateMutated('margingrid-overview.json', (d) => { d.uid = 'overview'; });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /no dashboard with uid "margingrid-overview"/);
});

test('overlapping panels and duplicate panel ids fail', () => {
  const r = validateMutated('margingrid-grid-health.json', (d) => {
    const panels = d.panels.filter((p) => p.type !== 'row');
    panels[1].gridPos = { ...panels[0].gridPos };
    panels[2].id = panels[0].id;
  });
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /overlaps/);
  assert.match(r.out, /reuses the id/);
});
