import type { FaultKind, FaultRule } from './types';

// Faults a test injects: each rule affects `times` matching requests (default: until cleared).

interface ActiveFault {
  rule: FaultRule;
  left: number;
}

export class FaultBook {
  private faults: ActiveFault[] = [];

  add(rule: FaultRule): void {
    this.faults.push({ rule, left: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.faults = [];
  }

  /** The first live fault matching the request; using it counts down its `times`. */
  take(method: string, path: string): FaultKind | null {
    for (const f of this.faults) {
      if (f.left <= 0) continue;
      if (f.rule.method && f.rule.method.toUpperCase() !== method) continue;
      const { route } = f.rule;
      const matches = typeof route === 'string' ? path.startsWith(route) : route.test(path);
      if (!matches) continue;
      f.left--;
      return f.rule.fault;
    }
    return null;
  }
}
