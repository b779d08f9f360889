"use strict";
// `sf exchange-auth-lint check …`: the Salesforce CLI (oclif) command. It
// hands every argument to `exchange-auth-lint check` unparsed, so the flags,
// the output and the exit codes are the binary's own. Written without
// @oclif/core (oclif only needs a class with a static `run`), so this package
// keeps no runtime dependencies.
const { run } = require("../../../lib/platform.js");

class Check {
  /** oclif calls this with the arguments after `sf exchange-auth-lint check`. */
  static async run(argv) {
    const { code } = run(["check", ...argv]);
    process.exitCode = code;
    return code;
  }
}

Check.summary = "Check Salesforce DX metadata for Exchange basic authentication and EWS.";
Check.description = [
  "Runs `exchange-auth-lint check` with the same arguments: the flags are passed through unchanged, and the output " +
    "and exit code are the linter's (0: nothing at or above --fail-on; 1: it found something; 2: it could not run).",
  "",
  "PATHS: files or folders (default: the current folder); the project around each is found by its sfdx-project.json.",
  "--format: human (default), json, sarif, github or junit. -o/--output FILE: write the report there.",
  "--fail-on: error (default), warning, info or never. --as-of YYYY-MM-DD: advice as of that date.",
  "--select/--ignore IDS: run only / not these rules. --lang en|ja. --threads N.",
  "--diff: print the fixes as a unified diff; --fix: apply them.",
].join("\n");
Check.usage = "exchange-auth-lint check [PATHS...] [--format human|json|sarif|github|junit] [-o FILE] [--fail-on error|warning|info|never] [--as-of YYYY-MM-DD] [--select IDS] [--ignore IDS] [--lang en|ja] [--threads N] [--fix | --diff]";
Check.examples = [
  "sf exchange-auth-lint check",
  "sf exchange-auth-lint check force-app --format sarif --output results.sarif",
  "sf exchange-auth-lint check --format github --fail-on warning",
  "sf exchange-auth-lint check --diff",
];
// Arguments are not parsed by oclif: they go to the linter unchanged.
Check.strict = false;
Check.flags = {};
Check.args = {};

module.exports = Check;
