"use strict";
// Finds the exchange-auth-lint binary for this machine: the platform package
// installed as an optional dependency (@exchange-auth-lint/cli-<os>-<cpu>),
// or the program named by EXCHANGE_AUTH_LINT_BINARY. No dependencies; the
// file system and module resolution are injected so the tests can drive it.

const fs = require("fs");
const path = require("path");

const SCOPE = "@exchange-auth-lint";

/** Every platform a package is published for: `${process.platform}-${process.arch}`. */
const PLATFORMS = ["linux-x64", "linux-arm64", "darwin-x64", "darwin-arm64", "win32-x64"];

const ENV_BINARY = "EXCHANGE_AUTH_LINT_BINARY";

function platformKey(platform, arch) {
  return `${platform}-${arch}`;
}

function packageName(key) {
  return `${SCOPE}/cli-${key}`;
}

function executableName(platform) {
  return platform === "win32" ? "exchange-auth-lint.exe" : "exchange-auth-lint";
}

/** Whether this Linux runs on musl (Alpine), where the glibc builds do not run. */
function isMusl(report) {
  if (!report || !report.header) return false;
  return !report.header.glibcVersionRuntime;
}

class BinaryNotFound extends Error {
  constructor(message) {
    super(message);
    this.name = "BinaryNotFound";
  }
}

/**
 * Resolves the binary. Returns its absolute path, or throws BinaryNotFound
 * with a message that names what to install.
 */
function resolveBinary(ctx = {}) {
  const platform = ctx.platform ?? process.platform;
  const arch = ctx.arch ?? process.arch;
  const env = ctx.env ?? process.env;
  const exists = ctx.exists ?? ((p) => {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  });
  const resolvePackage = ctx.resolvePackage ?? ((name) => path.dirname(require.resolve(`${name}/package.json`)));
  const report = ctx.report ?? (platform === "linux" && process.report ? process.report.getReport() : undefined);

  const override = (env[ENV_BINARY] ?? "").trim();
  if (override.length > 0) {
    if (!exists(override)) {
      throw new BinaryNotFound(
        `exchange-auth-lint: ${ENV_BINARY} is set to ${override}, but there is no file there. ` +
          `Point it at the exchange-auth-lint program, or unset it to use the installed platform package.`,
      );
    }
    return override;
  }

  const key = platformKey(platform, arch);
  const supported = PLATFORMS.join(", ");
  if (!PLATFORMS.includes(key)) {
    throw new BinaryNotFound(
      `exchange-auth-lint: no prebuilt binary for ${key} (there are binaries for ${supported}). ` +
        `Build it from source with a Rust toolchain (cargo install --git https://github.com/exchange-auth-lint/exchange-auth-lint exchange-auth-lint) ` +
        `and set ${ENV_BINARY} to its path.`,
    );
  }
  if (platform === "linux" && isMusl(report)) {
    throw new BinaryNotFound(
      `exchange-auth-lint: the prebuilt Linux binaries need glibc; this system uses musl (e.g. Alpine). ` +
        `Use a glibc-based image (e.g. node:22-bookworm-slim), or build from source with a Rust toolchain and set ${ENV_BINARY} to its path.`,
    );
  }
  const pkg = packageName(key);
  let dir;
  try {
    dir = resolvePackage(pkg);
  } catch {
    throw new BinaryNotFound(
      `exchange-auth-lint: the binary for ${key} is missing: the package ${pkg} is not installed. ` +
        `It is an optional dependency of exchange-auth-lint, so it is skipped when optional dependencies are ` +
        `(npm --omit=optional, --no-optional, yarn --ignore-optional) or when node_modules was copied from another platform. ` +
        `Install it: npm install ${pkg}` +
        ` (or reinstall exchange-auth-lint with optional dependencies), or set ${ENV_BINARY} to the program's path.`,
    );
  }
  const binary = path.join(dir, executableName(platform));
  if (!exists(binary)) {
    throw new BinaryNotFound(
      `exchange-auth-lint: ${pkg} is installed at ${dir}, but it holds no ${executableName(platform)}. ` +
        `Reinstall it: npm install ${pkg}`,
    );
  }
  return binary;
}

/** The exit code for a child that ended with `status` or `signal` (128 + number, as shells do). */
function exitCodeOf(result, signals) {
  if (result.error) return 2;
  if (typeof result.status === "number") return result.status;
  if (result.signal) {
    const n = (signals ?? require("os").constants.signals)[result.signal];
    return typeof n === "number" ? 128 + n : 1;
  }
  return 1;
}

/**
 * Runs the binary with `args`, standard streams passed through, and returns
 * the exit code to use. Errors (no binary, cannot start) are written to
 * stderr and give exit code 2, like the binary's own usage errors.
 */
function run(args, options = {}) {
  const { spawnSync } = require("child_process");
  const stderr = options.stderr ?? process.stderr;
  let binary;
  try {
    binary = resolveBinary(options.ctx);
  } catch (err) {
    if (err instanceof BinaryNotFound) {
      stderr.write(`${err.message}\n`);
      return { code: 2 };
    }
    throw err;
  }
  const result = spawnSync(binary, args, { stdio: "inherit", windowsHide: true, shell: false });
  if (result.error) {
    stderr.write(`exchange-auth-lint: could not run ${binary}: ${result.error.message}\n`);
  }
  return { code: exitCodeOf(result), signal: result.signal ?? undefined };
}

module.exports = {
  PLATFORMS,
  ENV_BINARY,
  BinaryNotFound,
  platformKey,
  packageName,
  executableName,
  isMusl,
  resolveBinary,
  exitCodeOf,
  run,
};
