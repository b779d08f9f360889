#!/usr/bin/env node
"use strict";
// `npx exchange-auth-lint …` / `npm exec exchange-auth-lint …`: runs the
// binary of this platform's package with the same arguments, standard
// streams and exit code.
const { run } = require("../lib/platform.js");

const { code, signal } = run(process.argv.slice(2));
if (signal) {
  // Ended by a signal: end the same way, so a shell sees what the binary did.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}
process.exitCode = code;
