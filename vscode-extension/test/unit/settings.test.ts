import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { beforeEach, describe, it } from "node:test";
import { FIX_ALL_KIND } from "../../src/commands";
import {
  classifyChange,
  configurationAnswers,
  isIsoDate,
  readSettings,
  SEVERITIES,
} from "../../src/settings";
import { controls } from "./stub-vscode";

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8"));

function change(...keys: string[]) {
  return { affectsConfiguration: (s: string) => keys.some((k) => k === s || k.startsWith(`${s}.`)) };
}

describe("settings", () => {
  beforeEach(() => controls.reset());

  it("has the documented defaults", () => {
    const s = readSettings();
    assert.deepEqual(s, { enable: true, path: null, server: { asOf: null, rules: {} }, problems: [] });
  });

  it("reads enable, path, asOf and rules", () => {
    controls.settings.set("exchangeAuthLint.enable", false);
    controls.settings.set("exchangeAuthLint.path", "  /opt/eal/exchange-auth-lint ");
    controls.settings.set("exchangeAuthLint.asOf", " 2026-11-24 ");
    controls.settings.set("exchangeAuthLint.rules", { exo002: "Error", "LS004": "off", "exchange-basic-auth": "warning" });
    const s = readSettings();
    assert.equal(s.enable, false);
    assert.equal(s.path, "/opt/eal/exchange-auth-lint");
    assert.deepEqual(s.server, {
      asOf: "2026-11-24",
      rules: { EXO002: "error", LS004: "off", "exchange-basic-auth": "warning" },
    });
    assert.deepEqual(s.problems, []);
  });

  it("ignores invalid values and says which setting is wrong", () => {
    controls.settings.set("exchangeAuthLint.enable", "yes");
    controls.settings.set("exchangeAuthLint.path", 42);
    controls.settings.set("exchangeAuthLint.asOf", "2026-02-30");
    controls.settings.set("exchangeAuthLint.rules", { EXO001: "fatal", SEC001: 3, EXO002: "info" });
    const s = readSettings();
    assert.equal(s.enable, true);
    assert.equal(s.path, null);
    assert.deepEqual(s.server, { asOf: null, rules: { EXO002: "info" } });
    assert.equal(s.problems.length, 5);
    assert.match(s.problems.join("\n"), /exchangeAuthLint\.enable/);
    assert.match(s.problems.join("\n"), /exchangeAuthLint\.path/);
    assert.match(s.problems.join("\n"), /exchangeAuthLint\.asOf" is "2026-02-30"/);
    assert.match(s.problems.join("\n"), /EXO001 is set to "fatal"/);
    assert.match(s.problems.join("\n"), /SEC001 is set to 3/);
  });

  it("treats an empty asOf as today and rejects a rules array", () => {
    controls.settings.set("exchangeAuthLint.asOf", "  ");
    controls.settings.set("exchangeAuthLint.rules", ["EXO001"]);
    const s = readSettings();
    assert.equal(s.server.asOf, null);
    assert.deepEqual(s.server.rules, {});
    assert.equal(s.problems.length, 1);
  });

  it("validates calendar dates", () => {
    assert.ok(isIsoDate("2028-02-29"));
    assert.ok(!isIsoDate("2027-02-29"));
    assert.ok(!isIsoDate("2026-13-01"));
    assert.ok(!isIsoDate("26-11-24"));
    assert.ok(!isIsoDate("2026-11-24T00:00"));
  });

  it("restarts for enable and path, notifies the server for asOf and rules", () => {
    assert.equal(classifyChange(change("exchangeAuthLint.enable")), "restart");
    assert.equal(classifyChange(change("exchangeAuthLint.path")), "restart");
    assert.equal(classifyChange(change("exchangeAuthLint.asOf")), "notify");
    assert.equal(classifyChange(change("exchangeAuthLint.rules")), "notify");
    assert.equal(classifyChange(change("exchangeAuthLint.trace.server")), "none");
    assert.equal(classifyChange(change("editor.fontSize")), "none");
    assert.equal(classifyChange(change("exchangeAuthLint.asOf", "exchangeAuthLint.path")), "restart");
  });

  it("answers workspace/configuration for the exchangeAuthLint section with validated values", () => {
    controls.settings.set("exchangeAuthLint.asOf", "2027-04-01");
    controls.settings.set("exchangeAuthLint.rules", { exo002: "ERROR", bad: "nope" });
    controls.settings.set("exchangeAuthLint.path", "/secret/place");
    const answers = configurationAnswers(
      [
        { section: "exchangeAuthLint" },
        { section: "exchangeAuthLint.asOf" },
        { section: "exchangeAuthLint.rules", scopeUri: "file:///ws" },
        { section: "files" },
        {},
      ],
      ["raw", "raw", "raw", { exclude: {} }, { everything: true }],
      () => null,
    );
    assert.deepEqual(answers, [
      { asOf: "2027-04-01", rules: { EXO002: "error" } },
      "2027-04-01",
      { EXO002: "error" },
      { exclude: {} },
      { everything: true },
    ]);
  });
});

describe("package.json contributions", () => {
  const props = manifest.contributes.configuration.properties;

  it("declares and documents every setting", () => {
    for (const key of ["enable", "path", "asOf", "rules", "trace.server"]) {
      const p = props[`exchangeAuthLint.${key}`];
      assert.ok(p, `exchangeAuthLint.${key} is declared`);
      assert.ok((p.markdownDescription ?? p.description ?? "").length > 40, `exchangeAuthLint.${key} is documented`);
    }
    assert.deepEqual(props["exchangeAuthLint.rules"].additionalProperties.enum, [...SEVERITIES]);
    assert.deepEqual(props["exchangeAuthLint.trace.server"].enum, ["off", "messages", "verbose"]);
    assert.equal(props["exchangeAuthLint.enable"].default, true);
    // The Settings editor shows a text box only for plain "string" settings
    // (a ["string", "null"] type renders as "Edit in settings.json").
    for (const key of ["path", "asOf"]) {
      assert.equal(props[`exchangeAuthLint.${key}`].type, "string", key);
      assert.equal(props[`exchangeAuthLint.${key}`].default, "", key);
    }
  });

  it("contributes the server's fix-all kind for editor.codeActionsOnSave", () => {
    const kinds = manifest.contributes.codeActions.flatMap((c: { actions: { kind: string; title: string }[] }) => c.actions);
    assert.deepEqual(
      kinds.map((a: { kind: string }) => a.kind),
      [FIX_ALL_KIND.value],
    );
    assert.equal(kinds[0].title, "Fix all exchange-auth-lint problems in this file");
    for (const c of manifest.contributes.codeActions) {
      assert.ok(c.languages.includes("xml") && c.languages.includes("apex"), "metadata and Apex files");
    }
  });

  it("the asOf pattern agrees with the validation", () => {
    const re = new RegExp(props["exchangeAuthLint.asOf"].pattern);
    assert.ok(re.test("2026-11-24") && re.test(""));
    assert.ok(!re.test("24.11.2026"));
  });

  it("pins a vscode-languageclient whose engine matches engines.vscode", () => {
    const lc = JSON.parse(
      fs.readFileSync(path.join(__dirname, "..", "..", "..", "node_modules", "vscode-languageclient", "package.json"), "utf8"),
    );
    assert.equal(lc.version, manifest.dependencies["vscode-languageclient"]);
    assert.equal(lc.engines.vscode, manifest.engines.vscode);
    const typesVersion = manifest.devDependencies["@types/vscode"];
    assert.equal(`^${typesVersion}`, manifest.engines.vscode, "@types/vscode must not be newer than engines.vscode");
  });
});
