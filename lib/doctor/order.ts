/**
 * The order `cdk deploy --all` deploys the stacks in: dependencies first. The CDK CLI builds a work
 * graph from the artifacts' `dependencies` and starts a stack only when every stack it depends on
 * has deployed ("cdk deploy": "stacks are deployed in dependency order",
 * https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-deploy.html). Stacks with no path between
 * them have no guaranteed order, and run at once under `--concurrency`: so "deploys earlier" below
 * always means "is a (transitive) dependency", never "comes first in the printed list".
 */
import type { Assembly, AssemblyStack } from './assembly.js';
import { checkResult, type CheckResult, type Finding } from './report.js';

export interface DeployOrder {
  /** Stack ids, dependencies first; ties keep manifest order. */
  readonly order: readonly string[];
  /** Stacks on a dependency cycle (cdk refuses to deploy them). */
  readonly cycle: readonly string[];
  /** Dependencies naming a stack the assembly does not hold. */
  readonly unknown: readonly { readonly stack: string; readonly dependency: string }[];
}

export function deployOrder(assembly: Assembly): DeployOrder {
  const ids = new Set(assembly.stacks.map((s) => s.id));
  const unknown = assembly.stacks.flatMap((s) => s.dependencies.filter((d) => !ids.has(d)).map((dependency) => ({ stack: s.id, dependency })));
  const remaining = new Map(assembly.stacks.map((s) => [s.id, new Set(s.dependencies.filter((d) => ids.has(d)))]));
  const order: string[] = [];
  for (;;) {
    const ready = [...remaining].find(([, deps]) => deps.size === 0)?.[0];
    if (ready === undefined) break;
    order.push(ready);
    remaining.delete(ready);
    for (const deps of remaining.values()) deps.delete(ready);
  }
  return { order, cycle: [...remaining.keys()], unknown };
}

/** For each stack, every stack it (transitively) depends on. */
export function ancestors(assembly: Assembly): Map<string, Set<string>> {
  const byId = new Map(assembly.stacks.map((s) => [s.id, s]));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string, path: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const out = new Set<string>();
    for (const dep of byId.get(id)?.dependencies ?? []) {
      if (path.has(dep)) continue; // a cycle: reported by the order check
      out.add(dep);
      for (const a of visit(dep, new Set([...path, dep]))) out.add(a);
    }
    memo.set(id, out);
    return out;
  };
  for (const s of assembly.stacks) visit(s.id, new Set([s.id]));
  return memo;
}

export function orderCheck(assembly: Assembly): CheckResult {
  const { order, cycle, unknown } = deployOrder(assembly);
  const byId = new Map<string, AssemblyStack>(assembly.stacks.map((s) => [s.id, s]));
  const notes = order.map((id, i) => {
    const s = byId.get(id)!;
    const after = s.dependencies.length > 0 ? ` (after ${s.dependencies.join(', ')})` : '';
    return `${i + 1}. ${id} in ${s.account}/${s.region}${after}`;
  });
  const findings: Finding[] = [
    ...cycle.map((stack) => ({
      status: 'fail' as const,
      subject: stack,
      stack,
      message: `${stack} is on a dependency cycle with ${cycle.filter((c) => c !== stack).join(', ')}: cdk cannot deploy it`,
      fix: 'remove one addDependency (or the cross-stack reference) that closes the cycle',
    })),
    ...unknown.map(({ stack, dependency }) => ({
      status: 'fail' as const,
      subject: stack,
      stack,
      message: `${stack} depends on ${dependency}, which the assembly does not hold`,
      fix: 'synthesize the whole app (cdk synth) rather than one stack',
    })),
  ];
  if (findings.length === 0) findings.push({ status: 'pass', subject: 'order', message: `${order.length} stacks deploy in this order` });
  return checkResult('deploy-order', 'the order cdk deploy --all uses', findings, notes);
}
