/**
 * How deeply a parsed JSON value nests. JSON.parse reads any depth, but JSON.stringify (and any
 * recursive walk) overflows the stack a few thousand levels down, so a deep body would end as a
 * 500 that the sender retries forever. The walk here keeps its own stack and stops at the limit.
 */

/** No real webhook nests more than about 6 levels; Alertmanager's deepest field is at 4. */
export const MAX_JSON_DEPTH = 64;

/** The path to the first value deeper than `limit` (e.g. `body[0][0].a`), or undefined when none is. */
export function tooDeep(value: unknown, limit: number, root = "body"): string | undefined {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: root }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (typeof item.value !== "object" || item.value === null) continue;
    const depth = item.depth + 1;
    if (depth > limit) return item.path;
    if (Array.isArray(item.value)) {
      item.value.forEach((child, index) => stack.push({ value: child, depth, path: `${item.path}[${index}]` }));
    } else {
      for (const [key, child] of Object.entries(item.value)) {
        stack.push({ value: child, depth, path: `${item.path}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key.slice(0, 40))}]`}` });
      }
    }
  }
  return undefined;
}
