#!/usr/bin/env node
"use strict";
// The pre-commit hook's program (.pre-commit-hooks.yaml, `language: node`):
// pre-commit installs the repository's package.json, whose one dependency is
// the npm package exchange-auth-lint, and runs this with the staged files.
// It runs `exchange-auth-lint check FILES…` through that package's launcher.
let launcher;
try {
  launcher = require("exchange-auth-lint");
} catch {
  process.stderr.write(
    "exchange-auth-lint (pre-commit): the npm package exchange-auth-lint is not installed in the hook's environment. " +
      "Run `pre-commit clean` and try again, or add it to the hook's additional_dependencies.\n",
  );
  process.exit(2);
}
const { code, signal } = launcher.run(["check", ...process.argv.slice(2)]);
if (signal) {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}
process.exitCode = code;
