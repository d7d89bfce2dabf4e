import fs from 'node:fs';
import path from 'node:path';
import type { CriteriaFileIssue, CriteriaSetSummary } from '@commune-hub/protocol';
import { HUB_PACKAGE_DIR } from '../paths.ts';
import { type LoadedCriteriaSet, loadCriteriaDir } from './load.ts';

/** The criteria sets shipped with the hub (Thanh Hóa 1829/2023, NTM 318 tiêu chí 8). */
export const SHIPPED_CRITERIA_DIR = path.join(HUB_PACKAGE_DIR, 'criteria-sets');

export interface ReloadOutcome {
  loaded: string[];
  /** Files refused, each with every problem found; the set of that id (if any) is kept as it was. */
  refused: CriteriaFileIssue[][];
}

/**
 * The criteria sets in force, read from one folder (one file per decision). A file that fails validation
 * is refused with all its problems and never replaces what was loaded before: the hub keeps the sets it had.
 */
export class CriteriaSets {
  private readonly sets = new Map<string, LoadedCriteriaSet>();
  private problems: CriteriaFileIssue[][] = [];

  constructor(private readonly dir: string) {}

  reload(): ReloadOutcome {
    if (!fs.existsSync(this.dir)) {
      this.problems = [[{ file: this.dir, path: '/', message: 'criteria folder does not exist' }]];
      return { loaded: [], refused: this.problems };
    }
    const { loaded, refused } = loadCriteriaDir(this.dir);
    const ids = new Set<string>();
    for (const l of loaded) {
      this.sets.set(l.set.id, l);
      ids.add(l.set.id);
    }
    this.problems = refused;
    return { loaded: [...ids], refused };
  }

  get(id: string): LoadedCriteriaSet | undefined {
    return this.sets.get(id);
  }

  list(): LoadedCriteriaSet[] {
    return [...this.sets.values()].sort((a, b) => a.set.id.localeCompare(b.set.id));
  }

  /** Problems of the files refused at the last (re)load. */
  refused(): CriteriaFileIssue[][] {
    return this.problems;
  }
}

export function summarize(l: LoadedCriteriaSet): CriteriaSetSummary {
  const s = l.set;
  return {
    id: s.id,
    name: s.name,
    decision: s.decision.number,
    decisionDate: s.decision.date ?? null,
    issuer: s.decision.issuer,
    version: s.version,
    province: s.province ?? null,
    scoring: s.scoring,
    criteria: s.criteria.length,
    measured: s.criteria.filter((c) => c.rule).length,
    sha256: l.sha256,
  };
}
