import type { Command } from 'commander';
import type { GlobalOptions } from './globals.ts';
import { reportError } from './output.ts';
import { openSession, outputFor, type Session } from './session.ts';

/** The exit code a command sets without failing (e.g. a bulk operation with items not found). */
export class ExitCode {
  constructor(readonly code: number) {}
}

function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals() as GlobalOptions;
}

/**
 * Wraps a command body: opens the session (target, engine, tracker), maps any error to one line and
 * its exit code, and always closes the client so the process can exit.
 */
export function withSession<Args extends unknown[]>(
  body: (session: Session, ...args: Args) => Promise<unknown>,
) {
  return async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const globals = globalsOf(command);
    let session: Session | undefined;
    try {
      session = await openSession(globals);
      const result = await body(session, ...(args.slice(0, -1) as Args));
      if (result instanceof ExitCode) process.exitCode = result.code;
    } catch (error) {
      process.exitCode = reportError(error, session?.output ?? outputFor(globals));
    } finally {
      session?.close();
    }
  };
}

/** The same, for commands that need no data session (local start/stop, doctor). */
export function withGlobals<Args extends unknown[]>(
  body: (globals: GlobalOptions, ...args: Args) => Promise<unknown>,
) {
  return async (...args: unknown[]) => {
    const command = args.at(-1) as Command;
    const globals = globalsOf(command);
    try {
      const result = await body(globals, ...(args.slice(0, -1) as Args));
      if (result instanceof ExitCode) process.exitCode = result.code;
    } catch (error) {
      process.exitCode = reportError(error, outputFor(globals));
    }
  };
}
