// The shape of a JSON value: every field path (array items as `[]`) with the value types seen
// there. Two answers "have the same fields and types" when their shapes agree.

export type Shape = Map<string, Set<string>>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Adds the shape of `value` at `path` to `shape` (a union over every value added). */
export function addShape(shape: Shape, value: unknown, path = '$'): Shape {
  const types = shape.get(path) ?? new Set<string>();
  types.add(typeOf(value));
  shape.set(path, types);
  if (Array.isArray(value)) for (const item of value) addShape(shape, item, `${path}[]`);
  else if (value && typeof value === 'object') {
    for (const [key, field] of Object.entries(value)) addShape(shape, field, `${path}.${key}`);
  }
  return shape;
}

export function shapeOf(values: readonly unknown[]): Shape {
  const shape: Shape = new Map();
  for (const value of values) addShape(shape, value);
  return shape;
}

/**
 * What `recorded` has that `served` lacks: a field path it never has, or a path where the two
 * never share a type (null aside: a field may be null in one answer and set in another).
 */
export function shapeGaps(recorded: Shape, served: Shape): string[] {
  const gaps: string[] = [];
  for (const [path, types] of recorded) {
    const have = served.get(path);
    if (!have) {
      gaps.push(`${path}: missing`);
      continue;
    }
    const real = [...types].filter((t) => t !== 'null');
    const fake = [...have].filter((t) => t !== 'null');
    if (real.length > 0 && fake.length > 0 && !real.some((t) => fake.includes(t))) {
      gaps.push(`${path}: ${fake.join('|')} where Okta sends ${real.join('|')}`);
    }
  }
  return gaps;
}
