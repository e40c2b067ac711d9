// A SCIM filter subset as Okta accepts it in `filter` and `search`:
//   attrPath op "value" | attrPath pr | (expr) | not (expr), joined by `and` / `or` (and binds tighter).
// Operators: eq ne sw co gt ge lt le pr. String comparisons ignore case, as Okta's do.
// Arrays along a path fan out: `target.id eq "x"` matches when any target has that id.

export type Operator = 'eq' | 'ne' | 'sw' | 'co' | 'gt' | 'ge' | 'lt' | 'le' | 'pr';
type Value = string | number | boolean | null;

export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'compare'; attr: string; op: Operator; value: Value };

export class FilterSyntaxError extends Error {}

const OPERATORS = new Set<Operator>(['eq', 'ne', 'sw', 'co', 'gt', 'ge', 'lt', 'le', 'pr']);

type Token = { t: 'lparen' | 'rparen' } | { t: 'word'; v: string } | { t: 'string'; v: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ t: c === '(' ? 'lparen' : 'rparen' });
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        v += input[i];
        i++;
      }
      if (i >= input.length) throw new FilterSyntaxError('unterminated string');
      i++;
      tokens.push({ t: 'string', v });
    } else {
      const m = /^[A-Za-z0-9_.$:\-+]+/.exec(input.slice(i));
      if (!m) throw new FilterSyntaxError(`unexpected character '${c}' at ${i}`);
      tokens.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

export function parseFilter(input: string): FilterExpr {
  const tokens = tokenize(input);
  let pos = 0;
  const peekWord = (): string | null => {
    const tok = tokens[pos];
    return tok?.t === 'word' ? tok.v.toLowerCase() : null;
  };

  const parseOr = (): FilterExpr => {
    let left = parseAnd();
    while (peekWord() === 'or') {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterExpr => {
    let left = parsePrimary();
    while (peekWord() === 'and') {
      pos++;
      left = { kind: 'and', left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): FilterExpr => {
    const tok = tokens[pos];
    if (!tok) throw new FilterSyntaxError('unexpected end of filter');
    if (tok.t === 'lparen') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.t !== 'rparen') throw new FilterSyntaxError('missing )');
      pos++;
      return inner;
    }
    if (tok.t === 'word' && tok.v.toLowerCase() === 'not' && tokens[pos + 1]?.t === 'lparen') {
      pos++;
      return { kind: 'not', expr: parsePrimary() };
    }
    if (tok.t !== 'word' || !/^[A-Za-z_][\w.\-$:]*$/.test(tok.v)) {
      throw new FilterSyntaxError('expected an attribute name');
    }
    pos++;
    const opTok = tokens[pos];
    const op = opTok?.t === 'word' ? (opTok.v.toLowerCase() as Operator) : null;
    if (!op || !OPERATORS.has(op)) throw new FilterSyntaxError(`expected an operator after ${tok.v}`);
    pos++;
    if (op === 'pr') return { kind: 'compare', attr: tok.v, op, value: null };
    const valTok = tokens[pos];
    pos++;
    if (valTok?.t === 'string') return { kind: 'compare', attr: tok.v, op, value: valTok.v };
    if (valTok?.t === 'word') return { kind: 'compare', attr: tok.v, op, value: literal(valTok.v) };
    throw new FilterSyntaxError(`expected a value after ${tok.v} ${op}`);
  };

  const expr = parseOr();
  if (pos !== tokens.length) throw new FilterSyntaxError('unexpected text after the filter');
  return expr;
}

function literal(word: string): Value {
  const lower = word.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
  throw new FilterSyntaxError(`values must be quoted: ${word}`);
}

/** Every comparison in the expression, for per-endpoint checks of attributes and operators. */
export function comparisons(expr: FilterExpr): { attr: string; op: Operator }[] {
  if (expr.kind === 'compare') return [{ attr: expr.attr, op: expr.op }];
  if (expr.kind === 'not') return comparisons(expr.expr);
  return [...comparisons(expr.left), ...comparisons(expr.right)];
}

function valuesAt(obj: unknown, path: string[]): unknown[] {
  if (Array.isArray(obj)) return obj.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) return [obj];
  if (obj === null || typeof obj !== 'object') return [];
  return valuesAt((obj as Record<string, unknown>)[path[0]], path.slice(1));
}

function compareOne(actual: unknown, op: Operator, expected: Value): boolean {
  if (op === 'pr') return actual !== undefined && actual !== null && actual !== '';
  if (actual === undefined) return false;
  if (typeof actual === 'string' && typeof expected === 'string') {
    const a = actual.toLowerCase();
    const e = expected.toLowerCase();
    switch (op) {
      case 'eq':
        return a === e;
      case 'ne':
        return a !== e;
      case 'sw':
        return a.startsWith(e);
      case 'co':
        return a.includes(e);
      case 'gt':
        return a > e;
      case 'ge':
        return a >= e;
      case 'lt':
        return a < e;
      case 'le':
        return a <= e;
    }
  }
  if (op === 'eq') return actual === expected;
  if (op === 'ne') return actual !== expected;
  if (typeof actual === 'number' && typeof expected === 'number') {
    if (op === 'gt') return actual > expected;
    if (op === 'ge') return actual >= expected;
    if (op === 'lt') return actual < expected;
    if (op === 'le') return actual <= expected;
  }
  return false;
}

export function matchesFilter(expr: FilterExpr, obj: unknown): boolean {
  switch (expr.kind) {
    case 'and':
      return matchesFilter(expr.left, obj) && matchesFilter(expr.right, obj);
    case 'or':
      return matchesFilter(expr.left, obj) || matchesFilter(expr.right, obj);
    case 'not':
      return !matchesFilter(expr.expr, obj);
    case 'compare': {
      const values = valuesAt(obj, expr.attr.split('.'));
      if (expr.op === 'ne') return values.every((v) => compareOne(v, 'ne', expr.value));
      return values.some((v) => compareOne(v, expr.op, expr.value));
    }
  }
}

/**
 * A matcher equivalent to matchesFilter for `a eq "x" or a eq "y" …` on one attribute with
 * string values (the token usage query's shape): one path read per object and a set lookup,
 * instead of one walk per clause. Null for any other filter.
 */
export function eqAnyMatcher(expr: FilterExpr): ((obj: unknown) => boolean) | null {
  const values = new Set<string>();
  let attr: string | null = null;
  const collect = (e: FilterExpr): boolean => {
    if (e.kind === 'or') return collect(e.left) && collect(e.right);
    if (e.kind !== 'compare' || e.op !== 'eq' || typeof e.value !== 'string') return false;
    if (attr !== null && attr !== e.attr) return false;
    attr = e.attr;
    values.add(e.value.toLowerCase());
    return true;
  };
  if (!collect(expr) || attr === null) return null;
  const path = (attr as string).split('.');
  return (obj) => valuesAt(obj, path).some((v) => typeof v === 'string' && values.has(v.toLowerCase()));
}
