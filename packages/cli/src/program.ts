import { Command, CommanderError } from 'commander';
import { registerCategoryCommands } from './commands/categories.ts';
import { registerDeployCommands } from './commands/deploy.ts';
import { registerDoctorCommand } from './commands/doctor.ts';
import { registerExportCommand } from './commands/export.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerLocalCommands } from './commands/local.ts';
import { registerLogsCommand } from './commands/logs.ts';
import { registerOpenApiCommand } from './commands/openapi.ts';
import { registerSeedCommand } from './commands/seed.ts';
import { registerStackCommands } from './commands/stack.ts';
import { registerTaskCommands } from './commands/tasks.ts';
import { addGlobalOptions } from './runtime/globals.ts';
import { VERSION } from './version.ts';

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
