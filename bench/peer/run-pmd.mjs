// Runs Salesforce Code Analyzer's PMD engine (the engine behind
// `sf code-analyzer run`) with the two remote-site rules over a folder, and
// prints the violations per rule as JSON.
//
//   node run-pmd.mjs ORG_DIR
//
// NODE_PATH (or a node_modules beside this file) must hold
// @salesforce/code-analyzer-pmd-engine; see bench/peer-setup.sh.
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const require = createRequire(process.env.PEER_MODULES ? join(process.env.PEER_MODULES, "x.js") : import.meta.url);
const { createEnginePlugin } = require("@salesforce/code-analyzer-pmd-engine");
const { ConfigValueExtractor, Workspace } = require("@salesforce/code-analyzer-engine-api");

const RULES = ["AvoidInsecureHttpRemoteSiteSetting", "AvoidDisableProtocolSecurityRemoteSiteSetting"];
const org = resolve(process.argv[2] ?? ".");
const work = mkdtempSync(join(tmpdir(), "pmd-peer-"));
try {
  const plugin = createEnginePlugin();
  const config = await plugin.createEngineConfig("pmd", new ConfigValueExtractor({}, "engines.pmd"));
  const engine = await plugin.createEngine("pmd", config);
  const workspace = new Workspace("bench", [org]);
  const options = { logFolder: work, workingFolder: work, workspace };
  const known = new Set((await engine.describeRules(options)).map((r) => r.name));
  for (const r of RULES) if (!known.has(r)) throw new Error(`rule ${r} is not offered by this PMD engine`);
  const results = await engine.runRules(RULES, options);
  const counts = {};
  for (const v of results.violations) counts[v.ruleName] = (counts[v.ruleName] ?? 0) + 1;
  console.log(JSON.stringify({ engine: "pmd", version: await engine.getEngineVersion(), violations: counts }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
