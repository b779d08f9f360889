import { strict as assert } from "assert";
import * as path from "path";
import { describe, it } from "node:test";
import {
  BinaryProblem,
  bundledBinaryPath,
  expandPath,
  FileSystem,
  findOnPath,
  resolveServerBinary,
} from "../../src/binary";
import { fakeProgram, tempDir, writeFile } from "./helpers";

const NAME = "exchange-auth-lint";

/** An extension folder with a bundled binary for linux-x64, plus a PATH dir with another. */
function layout() {
  const root = tempDir();
  const ext = path.join(root, "ext");
  const bundled = fakeProgram(path.join(ext, "bundled", "linux-x64", NAME));
  const binDir = path.join(root, "bin");
  const onPath = fakeProgram(path.join(binDir, NAME));
  const own = fakeProgram(path.join(root, "own", NAME));
  return { root, ext, bundled, binDir, onPath, own };
}

const linux = { platform: "linux" as const, arch: "x64" };

function problemOf(fn: () => unknown): BinaryProblem {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof BinaryProblem, `expected a BinaryProblem, got ${String(e)}`);
    return e;
  }
  assert.fail("expected a BinaryProblem");
}

describe("server binary resolution", () => {
  it("uses exchangeAuthLint.path over the bundled binary and PATH", () => {
    const l = layout();
    const r = resolveServerBinary({ ...linux, configuredPath: l.own, extensionPath: l.ext, env: { PATH: l.binDir } });
    assert.deepEqual(r, { path: l.own, source: "setting" });
  });

  it("uses the bundled binary for the running platform when no path is set", () => {
    const l = layout();
    for (const configuredPath of [undefined, null, "", "   "]) {
      const r = resolveServerBinary({ ...linux, configuredPath, extensionPath: l.ext, env: { PATH: l.binDir } });
      assert.deepEqual(r, { path: l.bundled, source: "bundled" });
    }
  });

  it("picks the bundled folder by platform and arch", () => {
    const l = layout();
    const arm = fakeProgram(path.join(l.ext, "bundled", "darwin-arm64", NAME));
    const r = resolveServerBinary({ platform: "darwin", arch: "arm64", extensionPath: l.ext, env: { PATH: "" } });
    assert.deepEqual(r, { path: arm, source: "bundled" });
    assert.equal(bundledBinaryPath("/e", "win32", "x64"), path.join("/e", "bundled", "win32-x64", `${NAME}.exe`));
  });

  it("falls back to PATH when the .vsix bundles no binary for this platform", () => {
    const l = layout();
    const r = resolveServerBinary({ platform: "linux", arch: "arm64", extensionPath: l.ext, env: { PATH: l.binDir } });
    assert.deepEqual(r, { path: l.onPath, source: "PATH" });
  });

  it("restores a lost execute bit on the bundled binary", () => {
    const l = layout();
    writeFile(l.bundled, "#!/bin/sh\n", 0o644);
    const r = resolveServerBinary({ ...linux, extensionPath: l.ext, env: { PATH: "" } });
    assert.deepEqual(r, { path: l.bundled, source: "bundled" });
  });

  it("names the setting when nothing is found anywhere", () => {
    const l = layout();
    const p = problemOf(() =>
      resolveServerBinary({ platform: "linux", arch: "riscv64", extensionPath: l.ext, env: { PATH: l.root } }),
    );
    assert.equal(p.setting, "exchangeAuthLint.path");
    assert.match(p.message, /"exchangeAuthLint\.path"/);
    assert.match(p.message, /linux-riscv64/);
    assert.match(p.message, /not on PATH/);
    // What a user without a Rust toolchain can install.
    assert.match(p.message, /npm install -g exchange-auth-lint/);
    assert.doesNotMatch(p.message, /cargo/);
  });

  it("does not fall back when the configured path is missing", () => {
    const l = layout();
    const missing = path.join(l.root, "nope", NAME);
    const p = problemOf(() =>
      resolveServerBinary({ ...linux, configuredPath: missing, extensionPath: l.ext, env: { PATH: l.binDir } }),
    );
    assert.match(p.message, /not found at/);
    assert.ok(p.message.includes(missing));
    assert.match(p.message, /Change "exchangeAuthLint\.path"/);
  });

  it("rejects a configured file that is not executable", () => {
    const l = layout();
    const plain = writeFile(path.join(l.root, "plain", NAME), "data", 0o644);
    const p = problemOf(() => resolveServerBinary({ ...linux, configuredPath: plain, extensionPath: l.ext }));
    assert.match(p.message, /is not executable/);
    assert.match(p.message, /"exchangeAuthLint\.path"/);
  });

  it("rejects a configured folder", () => {
    const l = layout();
    const p = problemOf(() =>
      resolveServerBinary({ ...linux, configuredPath: path.dirname(l.own), extensionPath: l.ext }),
    );
    assert.match(p.message, /points to a folder/);
  });

  it("expands ~, ${userHome}, ${workspaceFolder}, ${env:NAME} and relative paths", () => {
    const ctx = { workspaceFolder: "/ws", homedir: "/home/u", env: { TOOLS: "/opt/tools" }, platform: "linux" as const };
    assert.equal(expandPath("~/bin/x", ctx), "/home/u/bin/x");
    assert.equal(expandPath("${userHome}/x", ctx), "/home/u/x");
    assert.equal(expandPath("${workspaceFolder}/tools/x", ctx), "/ws/tools/x");
    assert.equal(expandPath("${env:TOOLS}/x", ctx), "/opt/tools/x");
    assert.equal(expandPath("target/release/x", ctx), "/ws/target/release/x");
    assert.equal(expandPath("  /abs/x  ", ctx), "/abs/x");
    assert.throws(() => expandPath("rel/x", { ...ctx, workspaceFolder: undefined }), BinaryProblem);
    assert.throws(() => expandPath("${workspaceFolder}/x", { ...ctx, workspaceFolder: undefined }), /no folder is open/);
  });

  it("resolves a relative configured path against the workspace folder", () => {
    const l = layout();
    const r = resolveServerBinary({ ...linux, configuredPath: `own/${NAME}`, workspaceFolder: l.root, extensionPath: l.ext });
    assert.deepEqual(r, { path: l.own, source: "setting" });
  });

  it("skips PATH entries that are relative, folders or not executable", () => {
    const root = tempDir();
    const notExec = writeFile(path.join(root, "a", NAME), "x", 0o644);
    const dirNamed = path.join(root, "b", NAME);
    writeFile(path.join(dirNamed, "inside"), "x");
    const good = fakeProgram(path.join(root, "c", NAME));
    const env = { PATH: ["relative/dir", "", path.dirname(notExec), path.join(root, "b"), path.dirname(good)].join(":") };
    assert.equal(findOnPath(env, "linux"), good);
    assert.equal(findOnPath({ PATH: path.dirname(notExec) }, "linux"), undefined);
    assert.equal(findOnPath({}, "linux"), undefined);
  });

  it("uses PATHEXT and the Path variable on Windows", () => {
    const files = new Set(["C:\\tools\\exchange-auth-lint.exe"]);
    const fakeFs: FileSystem = {
      statSync(p: string) {
        if (!files.has(p)) {
          throw new Error("ENOENT");
        }
        return { isFile: () => true, isDirectory: () => false, mode: 0o644 };
      },
      accessSync() {
        throw new Error("no X_OK on Windows");
      },
      chmodSync() {},
    };
    const env = { Path: "C:\\empty;C:\\tools", PATHEXT: ".COM;.EXE" };
    assert.equal(findOnPath(env, "win32", fakeFs), "C:\\tools\\exchange-auth-lint.exe");
    const r = resolveServerBinary({ platform: "win32", arch: "x64", extensionPath: "C:\\ext", env, fs: fakeFs });
    assert.deepEqual(r, { path: "C:\\tools\\exchange-auth-lint.exe", source: "PATH" });
  });
});
