/**
 * Quality rule changes: rules matched by id, then name, then what they measure; removed rules of
 * columns still there, added rules, and for each pair what it checks, its threshold, its
 * arguments, its severity and its metadata.
 */
import type { DiffContext } from './context.js';
import { compareFields, type FieldRule } from './fields.js';
import { matchBy } from './match.js';
import { allQualityRules, type Origin, type QualityRule } from '../model.js';
import { compareThresholds, thresholdText } from './thresholds.js';
import { display, short, stableJson } from './text.js';

export function compareQuality(ctx: DiffContext): void {
  const targetOf = (r: QualityRule): string => targetOfRule(r).toLowerCase();
  // Rules without an id or a name match on what they measure, when that is unambiguous.
  const fallback = (r: QualityRule): string | undefined =>
    r.type === 'sql' ? `sql:${targetOf(r)}:${flatQuery(r).toLowerCase()}` : r.metric ? `${r.type}:${targetOf(r)}:${r.metric}` : undefined;
  const { pairs, removed, added } = matchBy(
    allQualityRules(ctx.before),
    allQualityRules(ctx.after),
    [(r) => (r.id ? `id:${r.id}` : undefined), (r) => (r.name ? `name:${r.name.toLowerCase()}` : undefined), fallback],
    { uniqueKeys: [false, false, true] },
  );
  for (const r of removed) {
    if (columnGone(ctx, r)) continue;
    ctx.emit({ rule: 'quality-rule-removed', subject: qualitySubject(r), message: `quality rule ${ruleLabel(r)} was removed: consumers lose a check they may rely on`, before: ruleText(r), origin: r.origin });
  }
  for (const r of added) {
    ctx.emit({ rule: 'quality-rule-added', subject: qualitySubject(r), message: `quality rule ${ruleLabel(r)} was added`, after: ruleText(r), origin: r.origin });
  }
  for (const [b, a] of pairs) compareRule(ctx, b, a);
}

/** Rules of removed tables or columns went with them; the removal is already reported. */
function columnGone(ctx: DiffContext, r: QualityRule): boolean {
  const table = ctx.after.tables.find((t) => t.name.toLowerCase() === r.target.table.toLowerCase());
  if (!table) return true;
  if (!r.target.column) return false;
  const top = r.target.column.split(/[.[]/)[0]!.toLowerCase();
  return !table.columns.some((c) => c.name.toLowerCase() === top);
}

/** One rule against its new version, with the helpers every part of the comparison reports through. */
interface RulePair {
  readonly b: QualityRule;
  readonly a: QualityRule;
  readonly subject: string;
  readonly label: string;
  readonly at: (key: string, ...sub: string[]) => Origin | undefined;
  readonly changed: (why: string, before: string, after: string, key: string) => void;
}

function compareRule(ctx: DiffContext, b: QualityRule, a: QualityRule): void {
  const subject = qualitySubject(a);
  const label = ruleLabel(a);
  const pair: RulePair = {
    b,
    a,
    subject,
    label,
    at: (key, ...sub) => ctx.at(a, b, key, ...sub),
    changed: (why, before, after, key) => ctx.emit({ rule: 'quality-rule-changed', subject, message: `quality rule ${label} changed: ${why}`, before, after, origin: ctx.at(a, b, key) }),
  };
  compareWhatIsChecked(pair);
  compareThreshold(ctx, pair);
  compareArguments(ctx, pair);
  compareSeverity(ctx, pair);
  compareFields(ctx, RULE_FIELDS, { before: b, after: a, subject, label: `quality rule ${label}`, origin: (field) => pair.at(field) });
}

function compareWhatIsChecked({ b, a, changed }: RulePair): void {
  if (targetOfRule(b).toLowerCase() !== targetOfRule(a).toLowerCase()) changed('it checks another table or column', targetOfRule(b), targetOfRule(a), 'name');
  if (b.type !== a.type) changed('its type changed', b.type, a.type, 'type');
  else if (b.metric !== a.metric) changed('its metric changed', b.metric ?? '(none)', a.metric ?? '(none)', 'metric');
  else if (b.unit !== a.unit) changed('its unit changed, so the thresholds cannot be compared', b.unit, a.unit, 'unit');
  if (flatQuery(b) !== flatQuery(a)) changed('its query changed', b.query ?? '(none)', a.query ?? '(none)', 'query');
}

/** Thresholds compare only between rules of the same type, metric and unit. */
function compareThreshold(ctx: DiffContext, { b, a, subject, label, at, changed }: RulePair): void {
  if (b.type !== a.type || b.metric !== a.metric || b.unit !== a.unit) return;
  const direction = compareThresholds(b.threshold, a.threshold, a.unit);
  const values = { subject, before: thresholdText(b.threshold), after: thresholdText(a.threshold), origin: at(a.threshold?.operator ?? 'unit') };
  if (direction === 'looser') ctx.emit({ rule: 'quality-rule-loosened', message: `the threshold of quality rule ${label} was loosened: data that failed it may now pass`, ...values });
  else if (direction === 'tighter') ctx.emit({ rule: 'quality-rule-tightened', message: `the threshold of quality rule ${label} was tightened`, ...values });
  else if (direction === 'unknown') changed('its threshold changed in no clear direction', values.before, values.after, a.threshold?.operator ?? 'unit');
}

/** The set of valid values has a direction; any other argument is just a change. */
function compareArguments(ctx: DiffContext, { b, a, subject, label, at, changed }: RulePair): void {
  for (const key of [...new Set([...Object.keys(b.arguments), ...Object.keys(a.arguments)])].sort()) {
    const vb = b.arguments[key];
    const va = a.arguments[key];
    if (stableJson(vb) === stableJson(va)) continue;
    if (key !== 'validValues' || !Array.isArray(vb) || !Array.isArray(va)) {
      changed(`its argument '${key}' changed`, vb === undefined ? '(none)' : display(vb), va === undefined ? '(none)' : display(va), 'arguments');
      continue;
    }
    const sb = new Set(vb.map((v) => stableJson(v)));
    const sa = new Set(va.map((v) => stableJson(v)));
    const addedValues = [...sa].filter((v) => !sb.has(v));
    const removedValues = [...sb].filter((v) => !sa.has(v));
    const values = { subject, before: vb.map(display).join(', '), after: va.map(display).join(', '), origin: at('arguments', key) };
    if (removedValues.length === 0) {
      ctx.emit({ rule: 'quality-rule-loosened', message: `quality rule ${label} accepts more values (${addedValues.join(', ')}): consumers may meet values they do not handle`, ...values });
    } else if (addedValues.length === 0) {
      ctx.emit({ rule: 'quality-rule-tightened', message: `quality rule ${label} accepts fewer values (no longer ${removedValues.join(', ')})`, ...values });
    } else {
      changed('its valid values changed', values.before, values.after, 'arguments');
    }
  }
}

const SEVERITY_RANK: Readonly<Record<string, number>> = { info: 0, warning: 1, warn: 1, error: 2 };

function compareSeverity(ctx: DiffContext, { b, a, subject, label, at, changed }: RulePair): void {
  if (b.severity.toLowerCase() === a.severity.toLowerCase()) return;
  const rb = SEVERITY_RANK[b.severity.toLowerCase()];
  const ra = SEVERITY_RANK[a.severity.toLowerCase()];
  const values = { subject, before: b.severity, after: a.severity, origin: at('severity') };
  if (rb === undefined || ra === undefined) changed('its severity changed', b.severity, a.severity, 'severity');
  else if (ra < rb) ctx.emit({ rule: 'quality-rule-loosened', message: `quality rule ${label} was downgraded from ${b.severity} to ${a.severity}: failures no longer count as errors`, ...values });
  else ctx.emit({ rule: 'quality-rule-tightened', message: `quality rule ${label} was upgraded from ${b.severity} to ${a.severity}`, ...values });
}

const RULE_FIELDS: readonly FieldRule<QualityRule>[] = [
  ...(['name', 'description', 'dimension', 'businessImpact', 'schedule', 'scheduler'] as const).map(
    (field): FieldRule<QualityRule> => ({ rule: 'quality-rule-metadata-changed', field, compare: (r) => r[field] ?? '', show: (r) => short(r[field]) }),
  ),
  { rule: 'quality-rule-metadata-changed', field: 'tags', compare: (r) => [...r.tags].sort().join(','), show: (r) => r.tags.join(', ') || '(none)' },
];

const flatQuery = (r: QualityRule): string => (r.query ?? '').replace(/\s+/g, ' ').trim();

function ruleLabel(r: QualityRule): string {
  return `'${r.id ?? r.name ?? (r.type === 'sql' ? 'sql' : (r.metric ?? r.type))}'`;
}

function targetOfRule(r: QualityRule): string {
  return `${r.target.table}${r.target.column ? `.${r.target.column}` : ''}`;
}

function qualitySubject(r: QualityRule): string {
  return `${targetOfRule(r)}/quality/${r.id ?? r.name ?? (r.type === 'sql' ? 'sql' : (r.metric ?? r.type))}`;
}

function ruleText(r: QualityRule): string {
  const what = r.type === 'sql' ? 'sql' : (r.metric ?? r.type);
  return `${what}${r.threshold ? ` ${thresholdText(r.threshold)}` : ''}${r.unit === 'percent' ? ' %' : ''}`;
}
