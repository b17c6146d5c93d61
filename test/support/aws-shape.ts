/** A shape of AWS's API model (test/support/cloudwatch-api.excerpt.json), references inlined. */
export interface AwsShape {
  readonly type?: string;
  readonly members?: Readonly<Record<string, AwsShape>>;
  readonly member?: AwsShape;
  readonly required?: readonly string[];
}

/**
 * What in `value` the shape does not allow: unknown or missing members, wrong types. Timestamps
 * are ISO 8601 text, as the stand-in's callers hold them.
 */
export function shapeErrors(value: unknown, shape: AwsShape, path: string): string[] {
  switch (shape.type ?? "string") {
    case "string":
      return typeof value === "string" ? [] : [`${path}: expected a string, got ${JSON.stringify(value)}`];
    case "integer":
      return Number.isInteger(value) ? [] : [`${path}: expected an integer, got ${JSON.stringify(value)}`];
    case "double":
    case "float":
      return typeof value === "number" ? [] : [`${path}: expected a number, got ${JSON.stringify(value)}`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
    case "timestamp":
      return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? [] : [`${path}: expected a timestamp, got ${JSON.stringify(value)}`];
    case "list":
      if (!Array.isArray(value)) return [`${path}: expected a list, got ${JSON.stringify(value)}`];
      return value.flatMap((item, index) => shapeErrors(item, shape.member!, `${path}[${index}]`));
    case "structure": {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path}: expected a structure, got ${JSON.stringify(value)}`];
      const record = value as Record<string, unknown>;
      const members = shape.members ?? {};
      return [
        ...Object.keys(record).filter((key) => !(key in members)).map((key) => `${path}.${key}: not a member of the model's shape`),
        ...(shape.required ?? []).filter((key) => record[key] === undefined).map((key) => `${path}.${key}: required by the model, missing`),
        ...Object.entries(record).flatMap(([key, inner]) => (key in members && inner !== undefined ? shapeErrors(inner, members[key]!, `${path}.${key}`) : [])),
      ];
    }
    default:
      return [`${path}: the model's type ${shape.type} is not checked by this stand-in`];
  }
}
