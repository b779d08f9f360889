"use strict";
// Unit tests of the launcher's binary resolution (node --test).
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("path");
const p = require("../lib/platform.js");
const pkg = require("../package.json");

const glibc = { header: { glibcVersionRuntime: "2.36" } };
const musl = { header: {} };

function ctx(over) {
  return {
    platform: "linux",
    arch: "x64",
    env: {},
    report: glibc,
    exists: () => true,
    resolvePackage: (name) => path.join("/nm", name),
    ...over,
  };
}

test("every platform has an optional dependency at the launcher's version, and nothing else does", () => {
  const want = Object.fromEntries(p.PLATFORMS.map((k) => [p.packageName(k), pkg.version]));
  assert.deepEqual(pkg.optionalDependencies, want);
  assert.equal(pkg.dependencies, undefined, "the launcher has no runtime dependencies");
});

test("resolves the platform package's binary", () => {
  assert.equal(p.resolveBinary(ctx()), path.join("/nm/@exchange-auth-lint/cli-linux-x64", "exchange-auth-lint"));
  assert.equal(
    p.resolveBinary(ctx({ platform: "darwin", arch: "arm64", report: undefined })),
    path.join("/nm/@exchange-auth-lint/cli-darwin-arm64", "exchange-auth-lint"),
  );
  assert.equal(
    p.resolveBinary(ctx({ platform: "win32", arch: "x64", report: undefined })),
    path.join("/nm/@exchange-auth-lint/cli-win32-x64", "exchange-auth-lint.exe"),
  );
});

test("EXCHANGE_AUTH_LINT_BINARY wins, and a wrong one is named", () => {
  assert.equal(p.resolveBinary(ctx({ env: { EXCHANGE_AUTH_LINT_BINARY: "/opt/eal" } })), "/opt/eal");
  assert.throws(
    () => p.resolveBinary(ctx({ env: { EXCHANGE_AUTH_LINT_BINARY: "/nope" }, exists: () => false })),
    (e) => e instanceof p.BinaryNotFound && /EXCHANGE_AUTH_LINT_BINARY is set to \/nope/.test(e.message),
  );
});

test("a missing platform package names the package to install", () => {
  assert.throws(
    () =>
      p.resolveBinary(
        ctx({
          resolvePackage: () => {
            throw new Error("Cannot find module");
          },
        }),
      ),
    (e) =>
      e instanceof p.BinaryNotFound &&
      e.message.includes("npm install @exchange-auth-lint/cli-linux-x64") &&
      e.message.includes("--omit=optional"),
  );
});

test("an unsupported platform lists the supported ones", () => {
  assert.throws(
    () => p.resolveBinary(ctx({ platform: "freebsd", arch: "x64", report: undefined })),
    (e) => /no prebuilt binary for freebsd-x64/.test(e.message) && e.message.includes(p.PLATFORMS.join(", ")),
  );
  assert.throws(() => p.resolveBinary(ctx({ arch: "ia32" })), /no prebuilt binary for linux-ia32/);
});

test("musl Linux is told that the binaries need glibc", () => {
  assert.equal(p.isMusl(musl), true);
  assert.equal(p.isMusl(glibc), false);
  assert.throws(() => p.resolveBinary(ctx({ report: musl })), /need glibc; this system uses musl/);
});

test("a platform package without its binary is reported", () => {
  assert.throws(
    () => p.resolveBinary(ctx({ exists: () => false })),
    /holds no exchange-auth-lint\. Reinstall it: npm install @exchange-auth-lint\/cli-linux-x64/,
  );
});

test("exit codes: the child's status, 128 + signal, 2 when it could not start", () => {
  assert.equal(p.exitCodeOf({ status: 0 }), 0);
  assert.equal(p.exitCodeOf({ status: 1 }), 1);
  assert.equal(p.exitCodeOf({ status: null, signal: "SIGTERM" }, { SIGTERM: 15 }), 143);
  assert.equal(p.exitCodeOf({ error: new Error("ENOENT"), status: null }), 2);
});

test("run() writes the reason and exits 2 when no binary fits", () => {
  let written = "";
  const r = p.run(["check"], {
    stderr: { write: (s) => (written += s) },
    ctx: ctx({ platform: "aix", arch: "ppc64", report: undefined }),
  });
  assert.equal(r.code, 2);
  assert.match(written, /^exchange-auth-lint: no prebuilt binary for aix-ppc64/);
});

test("the sf command is an oclif command class that leaves its arguments unparsed", () => {
  const Check = require("../sf/commands/exchange-auth-lint/check.js");
  assert.equal(typeof Check.run, "function");
  assert.equal(Check.strict, false);
  assert.ok(Check.summary.length > 0);
});
