/** What commander calls: the command's arguments, then its options, then the command itself. */
export type Action = (...args: unknown[]) => Promise<void>;

/**
 * An action whose module loads when the command runs. The command tree (names, arguments, options,
 * help) is registered without it, so `tt --help` or a usage error never loads the SDK, zod or core;
 * esbuild splits each `import()` into its own chunk.
 */
export function lazyAction<Name extends string, Module extends Record<Name, Action>>(
  load: () => Promise<Module>,
  name: Name,
): Action {
  return async (...args) => (await load())[name](...args);
}
