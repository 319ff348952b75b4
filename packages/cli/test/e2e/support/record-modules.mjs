// Preloaded with `node --import` by startup.test.ts: writes the URL of every module the process loaded
// (ESM and CommonJS, through Node's module hooks) to the file named by TT_LOADED_MODULES, at exit.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const loaded = [];
registerHooks({
  load(url, context, nextLoad) {
    loaded.push(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.TT_LOADED_MODULES, loaded.join('\n')));
