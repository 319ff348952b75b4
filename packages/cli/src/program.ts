import { Command, CommanderError } from 'commander';
import { registerCategoryCommands } from './register/categories.ts';
import { registerDeployCommands } from './register/deploy.ts';
import { registerDoctorCommand } from './register/doctor.ts';
import { registerExportCommand } from './register/export.ts';
import { registerImportCommand } from './register/import.ts';
import { registerLocalCommands } from './register/local.ts';
import { registerLoginCommands } from './register/login.ts';
import { registerLogsCommand } from './register/logs.ts';
import { registerOpenApiCommand } from './register/openapi.ts';
import { registerSeedCommand } from './register/seed.ts';
import { registerStackCommands } from './register/stack.ts';
import { registerTaskCommands } from './register/tasks.ts';
import { addGlobalOptions } from './runtime/globals.ts';
import { VERSION } from './version.ts';

/**
 * The whole command tree, as `tt --help` shows it. register/<family>.ts declares a family's commands,
 * arguments and options; what a command does is in commands/<family>.ts, imported when it runs, so
 * help and usage errors load commander and nothing else.
 */
export function buildProgram(): Command {
  const program = new Command('tt')
    .description('tasktracker: tasks in DynamoDB, from the terminal (local engine by default)')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .enablePositionalOptions(false);
  addGlobalOptions(program);
  registerTaskCommands(program);
  registerCategoryCommands(program);
  registerExportCommand(program);
  registerImportCommand(program);
  registerSeedCommand(program);
  registerLocalCommands(program);
  registerDoctorCommand(program);
  registerDeployCommands(program);
  registerStackCommands(program);
  registerLoginCommands(program);
  registerLogsCommand(program);
  registerOpenApiCommand(program);
  // Usage errors exit 2, like the error table's VALIDATION_ERROR.
  program.exitOverride();
  for (const command of program.commands) command.exitOverride();
  return program;
}

export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    throw error;
  }
}
