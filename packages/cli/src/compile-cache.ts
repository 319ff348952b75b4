// Builtins through process.getBuiltinModule, not imports: this module is part of the entry file, whose
// imports all load before the cache is on (and tt --version needs none of them).

/**
 * Where Node keeps the CLI's compiled code: $XDG_CACHE_HOME/tasktracker/compile-cache, else
 * ~/.cache/tasktracker/compile-cache (beside the data dir's XDG convention). Not Node's default
 * (<tmp>/node-compile-cache): that one directory is shared by every user and every Node program on the
 * machine, so on a shared host the first user owns it and the others run uncached, and the tmp dir is
 * often emptied at boot. A cache of one's own code belongs with one's own caches.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const { join } = process.getBuiltinModule('node:path');
  const home = () => process.getBuiltinModule('node:os').homedir();
  return join(env.XDG_CACHE_HOME || join(home(), '.cache'), 'tasktracker', 'compile-cache');
}

/**
 * Turns on Node's on-disk cache of compiled modules (Node 22.1+): from the second run on, V8 reads the
 * bundle's bytecode instead of parsing and compiling it again. Modules loaded after this call are cached.
 * NODE_COMPILE_CACHE (a directory) and NODE_DISABLE_COMPILE_CACHE=1 still win, as Node documents. A cache
 * is only an optimisation: an unwritable directory or no home directory is no error.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  try {
    process.getBuiltinModule('node:module').enableCompileCache(compileCacheDir(env));
  } catch {
    // Run uncached.
  }
}
