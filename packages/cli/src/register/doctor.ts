import type { Command } from 'commander';
import { lazyAction } from './lazy.ts';

const doctorModule = () => import('../commands/doctor.ts');

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check Java, the engine, the endpoint, credentials and tables; say what to do for each')
    .action(lazyAction(doctorModule, 'runDoctor'));
}
