import type { Command } from 'commander';
import { lazyAction } from './lazy.ts';

const seedModule = () => import('../commands/seed.ts');

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('fill the tables with deterministic, realistic sample data (a re-run adds nothing twice)')
    .option('--tasks <n>', 'how many tasks', '1000')
    .option('--categories <n>', 'how many categories', '8')
    .option('--seed <n>', 'the random seed: the same seed gives the same data', '42')
    .action(lazyAction(seedModule, 'seedSampleData'));
}
