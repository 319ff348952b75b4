// Run by bench/bundles.ts in a fresh Node process, as Lambda runs a handler: import the bundle (the
// init), then one invocation (the first request). Prints the times on stderr, where no handler logs.
//   node first-request.mjs <bundle> <event json> <context json>
const [file, event, context] = process.argv.slice(2);
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const context_ = { ...JSON.parse(context), getRemainingTimeInMillis: () => 29_000 };
let [wall, cpuAt] = [performance.now(), cpu()];
const { handler } = await import(file);
const init = { ms: performance.now() - wall, cpuMs: cpu() - cpuAt };
[wall, cpuAt] = [performance.now(), cpu()];
const response = await handler(JSON.parse(event), context_);
const invoke = { ms: performance.now() - wall, cpuMs: cpu() - cpuAt };
process.stderr.write(`FIRST-REQUEST ${JSON.stringify({ init, invoke, status: response.statusCode })}\n`);
process.exit(response.statusCode < 500 ? 0 : 1);
