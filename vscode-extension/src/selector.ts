// Which files the language server looks at. The Salesforce extensions give
// metadata files their own language ids (and the metadata-API format has no
// `.xml` suffix at all), so the selector matches file paths, not languages.

/** File name globs of the metadata the rules read, in both source formats. */
export const METADATA_GLOBS: readonly string[] = [
  "*.namedCredential-meta.xml",
  "*.namedCredential",
  "*.externalCredential-meta.xml",
  "*.externalCredential",
  "*.authprovider-meta.xml",
  "*.authprovider",
  "*.remoteSite-meta.xml",
  "*.remoteSite",
  "EmailIntegration.settings-meta.xml",
  "EmailIntegration.settings",
  "EAC.settings-meta.xml",
  "EAC.settings",
  // Apex classes and triggers: EWS callouts, Basic headers, client secrets.
  "*.cls",
  "*.trigger",
  // Custom metadata records (source format; the metadata API format's
  // `Type.Record.md` is left out so that Markdown never starts the server).
  "*.md-meta.xml",
];

/** The project file: package directories and the `plugins.exchangeAuthLint` config. */
export const PROJECT_FILE = "sfdx-project.json";

/** Globs matching every file the server checks, anywhere in the workspace. */
export const WATCHED_GLOBS: readonly string[] = [
  ...METADATA_GLOBS.map((g) => `**/${g}`),
  `**/${PROJECT_FILE}`,
];

export interface FileFilter {
  scheme: "file";
  pattern: string;
}

/** The document selector handed to the language client. */
export function documentSelector(): FileFilter[] {
  return WATCHED_GLOBS.map((pattern) => ({ scheme: "file", pattern }));
}

/** One glob for `workspace.findFiles` / file watchers covering every watched file. */
export function combinedGlob(): string {
  return `**/{${[...METADATA_GLOBS, PROJECT_FILE].join(",")}}`;
}

/**
 * Whether a file path (either separator) is one the server checks. Matches
 * on the base name, exactly as the `**∕<glob>` patterns do: case-sensitive,
 * `*` never crossing a separator.
 */
export function isWatchedPath(fsPath: string): boolean {
  const base = fsPath.split(/[\\/]/).pop() ?? "";
  if (base === PROJECT_FILE) {
    return true;
  }
  return METADATA_GLOBS.some((glob) =>
    glob.startsWith("*") ? base.length > glob.length - 1 && base.endsWith(glob.slice(1)) : base === glob,
  );
}
