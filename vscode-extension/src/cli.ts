// Running the CLI side of the binary (`rules --json`, `explain ID`) for the
// commands that don't go through the language server.

import { execFile } from "child_process";

export interface RuleInfo {
  id: string;
  name: string;
  summary: string;
  defaultSeverity?: string;
  severityToday?: string;
  fixable?: boolean;
}

export function runCli(binary: string, args: string[], timeoutMs = 15000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.trim() || error.message;
          reject(new Error(`"exchange-auth-lint ${args.join(" ")}" failed: ${detail}`));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

/** Parses `exchange-auth-lint rules --json`; rejects anything that is not a list of rules. */
export function parseRules(json: string): RuleInfo[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value)) {
    throw new Error("`rules --json` did not print a list");
  }
  return value.map((r: unknown, i) => {
    if (typeof r !== "object" || r === null) {
      throw new Error(`"rules --json": entry ${i} is not an object`);
    }
    const o = r as Record<string, unknown>;
    if (typeof o.id !== "string" || typeof o.name !== "string") {
      throw new Error(`"rules --json": entry ${i} has no id or name`);
    }
    return {
      id: o.id,
      name: o.name,
      summary: typeof o.summary === "string" ? o.summary : "",
      defaultSeverity: typeof o.defaultSeverity === "string" ? o.defaultSeverity : undefined,
      severityToday: typeof o.severityToday === "string" ? o.severityToday : undefined,
      fixable: typeof o.fixable === "boolean" ? o.fixable : undefined,
    };
  });
}

export async function listRules(binary: string): Promise<RuleInfo[]> {
  return parseRules(await runCli(binary, ["rules", "--json"]));
}

export function explainRule(binary: string, id: string): Promise<string> {
  return runCli(binary, ["explain", id]);
}
