// Finding the `exchange-auth-lint` program: the `exchangeAuthLint.path`
// setting wins; else the binary bundled in a platform-specific .vsix
// (`bundled/<platform>-<arch>/`); else the one on PATH. Pure apart from the
// file system calls, which are injected so the order and the error messages
// can be tested.

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const BINARY_NAME = "exchange-auth-lint";
export const PATH_SETTING = "exchangeAuthLint.path";

export type BinarySource = "setting" | "bundled" | "PATH";

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

/** Why no usable server binary was found; `message` is shown to the user as is. */
export class BinaryProblem extends Error {
  constructor(
    message: string,
    /** The setting to change to fix it. */
    readonly setting: string = PATH_SETTING,
  ) {
    super(message);
    this.name = "BinaryProblem";
  }
}

/** The file system operations resolution needs (a subset of `fs`). */
export interface FileSystem {
  /** Throws when the path does not exist. */
  statSync(p: string): { isFile(): boolean; isDirectory(): boolean; mode: number };
  /** Throws when `p` is not accessible with `mode`. */
  accessSync(p: string, mode: number): void;
  chmodSync(p: string, mode: number): void;
}

export interface ResolveContext {
  /** `exchangeAuthLint.path` as configured (may be empty or unset). */
  configuredPath?: string | null;
  /** Root of the installed extension (`ExtensionContext.extensionPath`). */
  extensionPath: string;
  /** First workspace folder: `${workspaceFolder}` and relative paths resolve against it. */
  workspaceFolder?: string;
  platform?: NodeJS.Platform;
  arch?: string;
  env?: NodeJS.ProcessEnv;
  homedir?: string;
  fs?: FileSystem;
}

/** Name of the `bundled/` subfolder (and of the `vsce --target`) for a platform. */
export function platformDir(platform: NodeJS.Platform, arch: string): string {
  return `${platform}-${arch}`;
}

export function executableName(platform: NodeJS.Platform): string {
  return platform === "win32" ? `${BINARY_NAME}.exe` : BINARY_NAME;
}

/** Where a platform-specific .vsix carries the server. */
export function bundledBinaryPath(extensionPath: string, platform: NodeJS.Platform, arch: string): string {
  return path.join(extensionPath, "bundled", platformDir(platform, arch), executableName(platform));
}

/** Expands `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` in a configured path. */
export function expandPath(
  raw: string,
  ctx: { workspaceFolder?: string; homedir: string; env: NodeJS.ProcessEnv; platform: NodeJS.Platform },
): string {
  const p = ctx.platform === "win32" ? path.win32 : path.posix;
  let value = raw.trim();
  if (value.includes("${workspaceFolder}")) {
    if (!ctx.workspaceFolder) {
      throw new BinaryProblem(
        `The setting "${PATH_SETTING}" uses \${workspaceFolder}, but no folder is open. Open the project folder or change "${PATH_SETTING}".`,
      );
    }
    value = value.split("${workspaceFolder}").join(ctx.workspaceFolder);
  }
  value = value.split("${userHome}").join(ctx.homedir);
  value = value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => ctx.env[name] ?? "");
  if (value === "~") {
    value = ctx.homedir;
  } else if (value.startsWith("~/") || (ctx.platform === "win32" && value.startsWith("~\\"))) {
    value = p.join(ctx.homedir, value.slice(2));
  }
  if (!p.isAbsolute(value)) {
    if (!ctx.workspaceFolder) {
      throw new BinaryProblem(
        `The setting "${PATH_SETTING}" is a relative path (${raw}), but no folder is open to resolve it against. Use an absolute path in "${PATH_SETTING}".`,
      );
    }
    value = p.resolve(ctx.workspaceFolder, value);
  }
  return value;
}

function isExecutable(file: string, fsys: FileSystem, platform: NodeJS.Platform): boolean {
  if (platform === "win32") {
    return true; // Windows has no execute bit; the extension decides.
  }
  try {
    fsys.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function statOrUndefined(file: string, fsys: FileSystem) {
  try {
    return fsys.statSync(file);
  } catch {
    return undefined;
  }
}

/** The first executable `exchange-auth-lint` on PATH (with PATHEXT on Windows). */
export function findOnPath(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  fsys: FileSystem = fs,
): string | undefined {
  const p = platform === "win32" ? path.win32 : path.posix;
  const pathVar = platform === "win32" ? (env.Path ?? env.PATH ?? env.path ?? "") : (env.PATH ?? "");
  const exts =
    platform === "win32"
      ? (env.PATHEXT ?? ".EXE;.CMD;.BAT;.COM").split(";").filter((e) => e.length > 0)
      : [""];
  for (const dir of pathVar.split(platform === "win32" ? ";" : ":")) {
    if (dir.length === 0 || !p.isAbsolute(dir)) {
      continue; // an empty or relative PATH entry would depend on the current folder
    }
    for (const ext of exts) {
      const candidate = p.join(dir, BINARY_NAME + ext.toLowerCase());
      if (statOrUndefined(candidate, fsys)?.isFile() && isExecutable(candidate, fsys, platform)) {
        return candidate;
      }
    }
  }
  return undefined;
}

/**
 * Resolves the server binary, or throws a `BinaryProblem` whose message says
 * what is wrong and which setting to change.
 */
export function resolveServerBinary(ctx: ResolveContext): ResolvedBinary {
  const platform = ctx.platform ?? process.platform;
  const arch = ctx.arch ?? process.arch;
  const env = ctx.env ?? process.env;
  const fsys = ctx.fs ?? fs;
  const homedir = ctx.homedir ?? os.homedir();

  const configured = (ctx.configuredPath ?? "").trim();
  if (configured.length > 0) {
    const file = expandPath(configured, { workspaceFolder: ctx.workspaceFolder, homedir, env, platform });
    const stat = statOrUndefined(file, fsys);
    if (!stat) {
      throw new BinaryProblem(
        `The exchange-auth-lint server was not found at ${file} (from the setting "${PATH_SETTING}"). Change "${PATH_SETTING}" to the path of the exchange-auth-lint program, or clear it to use the bundled server.`,
      );
    }
    if (stat.isDirectory()) {
      throw new BinaryProblem(
        `The setting "${PATH_SETTING}" points to a folder (${file}), not to the exchange-auth-lint program. Change "${PATH_SETTING}" to the program's path, e.g. ${path.join(file, executableName(platform))}.`,
      );
    }
    if (!isExecutable(file, fsys, platform)) {
      throw new BinaryProblem(
        `${file} (from the setting "${PATH_SETTING}") is not executable. Make it executable (chmod +x) or change "${PATH_SETTING}".`,
      );
    }
    return { path: file, source: "setting" };
  }

  const bundled = bundledBinaryPath(ctx.extensionPath, platform, arch);
  const bundledStat = statOrUndefined(bundled, fsys);
  if (bundledStat?.isFile()) {
    if (!isExecutable(bundled, fsys, platform)) {
      // Some unzip paths drop the execute bit; restore it once.
      try {
        fsys.chmodSync(bundled, bundledStat.mode | 0o755);
      } catch {
        // reported below
      }
    }
    if (isExecutable(bundled, fsys, platform)) {
      return { path: bundled, source: "bundled" };
    }
    throw new BinaryProblem(
      `The bundled exchange-auth-lint server (${bundled}) is not executable. Install exchange-auth-lint yourself and set "${PATH_SETTING}" to its path.`,
    );
  }

  const onPath = findOnPath(env, platform, fsys);
  if (onPath) {
    return { path: onPath, source: "PATH" };
  }

  throw new BinaryProblem(
    `The exchange-auth-lint server was not found: this build of the extension bundles none for ${platformDir(platform, arch)}, and "${BINARY_NAME}" is not on PATH. Install it with Node.js, no Rust needed: "npm install -g exchange-auth-lint" (prebuilt for Linux, macOS and Windows), or install the .vsix built for your platform, or set "${PATH_SETTING}" to the program's path.`,
  );
}
