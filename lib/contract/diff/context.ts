/**
 * What every area of the diff shares: the two contracts, the classification ranks, the list of
 * changes found so far, and where in the YAML a change is located.
 */
import type { YamlPath } from '../../diagnostics.js';
import { YamlSource } from '../../yaml-source.js';
import type { DataContract, Origin } from '../model.js';
import { DIFF_RULES, type Change, type ChangeSeverity } from './rules.js';

/** A change as an area reports it; the severity defaults to the rule's first. */
export type Emit = Omit<Change, 'severity'> & { severity?: ChangeSeverity };

export interface Located {
  readonly origin: Origin;
}

const sourceCache = new WeakMap<DataContract, YamlSource>();

function sourceOf(contract: DataContract): YamlSource {
  let source = sourceCache.get(contract);
  if (!source) {
    source = YamlSource.parse(contract.source.text, contract.source.file).source;
    sourceCache.set(contract, source);
  }
  return source;
}

export function locate(contract: DataContract, path: YamlPath): Origin {
  return { file: contract.source.file, path, position: sourceOf(contract).position(path) };
}

export class DiffContext {
  readonly changes: Change[] = [];
  /** Classification → its rank in the ontology, least sensitive first. */
  readonly rank: ReadonlyMap<string, number>;

  constructor(
    readonly before: DataContract,
    readonly after: DataContract,
    classifications: readonly string[],
  ) {
    this.rank = new Map(classifications.map((c, i) => [c.toLowerCase(), i]));
  }

  emit(change: Emit): void {
    const { severity, ...rest } = change;
    this.changes.push({ severity: severity ?? DIFF_RULES[change.rule].severity[0], ...rest });
  }

  /** Origin of a top-level field: in the new contract if it has it, else the old, else the new root. */
  topOrigin(field: string): Origin {
    if (sourceOf(this.after).has([field])) return locate(this.after, [field]);
    if (sourceOf(this.before).has([field])) return locate(this.before, [field]);
    return locate(this.after, []);
  }

  /** Origin of an element (or a field of it): in the new contract when it exists there. */
  at(after: Located | undefined, before: Located | undefined, ...sub: (string | number)[]): Origin | undefined {
    if (after) return locate(this.after, [...after.origin.path, ...sub]);
    if (before) return locate(this.before, [...before.origin.path, ...sub]);
    return undefined;
  }
}
