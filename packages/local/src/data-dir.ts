import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where the embedded stack keeps its database and state: TASKTRACKER_DATA_DIR, else
 * $XDG_DATA_HOME/tasktracker, else ~/.local/share/tasktracker (the XDG default).
 */
export function defaultDataDir(env: Record<string, string | undefined> = process.env): string {
  if (env.TASKTRACKER_DATA_DIR) return path.resolve(env.TASKTRACKER_DATA_DIR);
  const base = env.XDG_DATA_HOME || path.join(homedir(), '.local', 'share');
  return path.join(base, 'tasktracker');
}
