// The extension's settings (`contributes.configuration` in package.json):
// reading them with validation, the part the server sees, and which changes
// need the client restarted.

import * as vscode from "vscode";

export const SECTION = "exchangeAuthLint";

export const SEVERITIES = ["off", "info", "warning", "error"] as const;
export type RuleSeverity = (typeof SEVERITIES)[number];

/** What the server receives for the `exchangeAuthLint` section. */
export interface ServerSettings {
  /** Date the advice is given for (YYYY-MM-DD); null = today. */
  asOf: string | null;
  /** Rule id → severity; overrides the project's `sfdx-project.json` config. */
  rules: Record<string, RuleSeverity>;
}

export interface Settings {
  enable: boolean;
  /** `exchangeAuthLint.path`; null = bundled binary, then PATH. */
  path: string | null;
  server: ServerSettings;
  /** Values that were ignored, each naming the setting (for the log and one warning). */
  problems: string[];
}

/** Settings whose change needs the client stopped and started again. */
export const RESTART_SETTINGS = [`${SECTION}.enable`, `${SECTION}.path`] as const;
/** Settings the running server is told about. */
export const SERVER_SETTINGS = [`${SECTION}.asOf`, `${SECTION}.rules`] as const;

/** A calendar date in YYYY-MM-DD form that exists (no 2026-02-30). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) {
    return false;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function normalizeAsOf(value: unknown, problems: string[]): string | null {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== "string") {
    problems.push(`"${SECTION}.asOf" must be a date (YYYY-MM-DD) or empty; ignored.`);
    return null;
  }
  const trimmed = value.trim();
  if (trimmed === "") {
    return null;
  }
  if (!isIsoDate(trimmed)) {
    problems.push(`"${SECTION}.asOf" is "${trimmed}", not a date in YYYY-MM-DD form; using today.`);
    return null;
  }
  return trimmed;
}

export function normalizeRules(value: unknown, problems: string[]): Record<string, RuleSeverity> {
  const rules: Record<string, RuleSeverity> = {};
  if (value === undefined || value === null) {
    return rules;
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    problems.push(`"${SECTION}.rules" must be an object of rule id → "off" | "info" | "warning" | "error"; ignored.`);
    return rules;
  }
  for (const [rawId, rawSeverity] of Object.entries(value as Record<string, unknown>)) {
    const id = rawId.trim();
    if (id === "") {
      continue;
    }
    const severity = typeof rawSeverity === "string" ? rawSeverity.trim().toLowerCase() : undefined;
    if (severity === undefined || !(SEVERITIES as readonly string[]).includes(severity)) {
      problems.push(
        `"${SECTION}.rules": ${id} is set to ${JSON.stringify(rawSeverity)}; use one of ${SEVERITIES.map((s) => `"${s}"`).join(", ")}. Ignored.`,
      );
      continue;
    }
    // Rule ids are upper case (EXO001); the server also accepts rule names.
    rules[/^[a-z]+\d+$/i.test(id) ? id.toUpperCase() : id] = severity as RuleSeverity;
  }
  return rules;
}

/** Reads and validates the settings for a scope (a folder or document URI). */
export function readSettings(scope?: vscode.ConfigurationScope | null): Settings {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const problems: string[] = [];
  const enable = config.get<unknown>("enable", true);
  if (typeof enable !== "boolean") {
    problems.push(`"${SECTION}.enable" must be true or false; using true.`);
  }
  const rawPath = config.get<unknown>("path", null);
  let path: string | null = null;
  if (typeof rawPath === "string") {
    path = rawPath.trim() === "" ? null : rawPath.trim();
  } else if (rawPath !== null && rawPath !== undefined) {
    problems.push(`"${SECTION}.path" must be a string; ignored.`);
  }
  return {
    enable: typeof enable === "boolean" ? enable : true,
    path,
    server: {
      asOf: normalizeAsOf(config.get<unknown>("asOf", null), problems),
      rules: normalizeRules(config.get<unknown>("rules", {}), problems),
    },
    problems,
  };
}

export function serverSettings(scope?: vscode.ConfigurationScope | null): ServerSettings {
  return readSettings(scope).server;
}

export type ConfigurationChange = "restart" | "notify" | "none";

/** What a configuration change means for the client. */
export function classifyChange(event: vscode.ConfigurationChangeEvent): ConfigurationChange {
  if (RESTART_SETTINGS.some((s) => event.affectsConfiguration(s))) {
    return "restart";
  }
  if (SERVER_SETTINGS.some((s) => event.affectsConfiguration(s))) {
    return "notify";
  }
  return "none";
}

/**
 * Answers for a `workspace/configuration` request: the `exchangeAuthLint`
 * section (or one key of it) gets the validated server settings; any other
 * section keeps the answer the client computed (`defaults`).
 */
export function configurationAnswers(
  items: readonly { section?: string; scopeUri?: string }[],
  defaults: readonly unknown[],
  scopeOf: (scopeUri: string | undefined) => vscode.ConfigurationScope | null | undefined,
): unknown[] {
  return items.map((item, i) => {
    const section = item.section;
    if (section === SECTION) {
      return serverSettings(scopeOf(item.scopeUri));
    }
    if (section === `${SECTION}.asOf`) {
      return serverSettings(scopeOf(item.scopeUri)).asOf;
    }
    if (section === `${SECTION}.rules`) {
      return serverSettings(scopeOf(item.scopeUri)).rules;
    }
    return defaults[i] ?? null;
  });
}
