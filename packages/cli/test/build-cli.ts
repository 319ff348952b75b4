// Vitest globalSetup: the end-to-end tests run the real bundle, built from the current sources.
import { buildCli } from '../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await buildCli();
}
