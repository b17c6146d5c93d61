// Stands in for the `typescript` package inside dist/. @pulumi/pulumi loads TypeScript only to
// serialise closures of inline programs, which the action never runs; bundling the real compiler
// would add megabytes and start-up time.
module.exports = new Proxy(
  {},
  {
    get(_target, property) {
      if (property === "__esModule") return false;
      throw new Error(`typescript.${String(property)} is not available in the PulumiScale bundle`);
    },
  },
);
