#!/usr/bin/env node
// The `keyward` command (npm start, npx keyward, node apps/server/bin/keyward.mjs): runs the TypeScript sources
// through tsx, so there is no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
