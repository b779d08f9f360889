import { strict as assert } from "assert";
import * as path from "path";
import { beforeEach, describe, it } from "node:test";
import * as vscode from "vscode";
import { parseRules, runCli } from "../../src/cli";
import { explainRuleCommand, FIX_ALL_KIND, fixAllCommand, RuleDocProvider } from "../../src/commands";
import { Client, ServerController } from "../../src/server";
import { controls, makeLogChannel } from "./stub-vscode";
import { fakeProgram, tempDir } from "./helpers";

const RULES_JSON = JSON.stringify([
  { id: "EXO001", name: "exchange-basic-auth", summary: "A credential sends a password", fixable: true },
  { id: "EXO002", name: "exchange-ews-retirement", summary: "EWS retires", fixable: false },
]);

/** A fake exchange-auth-lint answering `rules --json` and `explain ID` like the real one. */
function fakeCli(): string {
  const dir = tempDir();
  const rules = path.join(dir, "rules.json");
  require("fs").writeFileSync(rules, RULES_JSON);
  return fakeProgram(
    path.join(dir, "exchange-auth-lint"),
    [
      'case "$1" in',
      `  rules) cat '${rules}' ;;`,
      '  explain) if [ "$2" = EXO001 ]; then printf "# EXO001 exchange-basic-auth\\n\\nWhy.\\n"; else echo "exchange-auth-lint: unknown rule $2" >&2; exit 2; fi ;;',
      "  *) exit 3 ;;",
      "esac",
    ].join("\n"),
  );
}

function controllerWith(binary: string, client?: Partial<Client>) {
  controls.settings.set("exchangeAuthLint.path", binary);
  const log = makeLogChannel() as unknown as vscode.LogOutputChannel;
  const controller = new ServerController({
    extensionPath: tempDir(),
    log,
    createClient: () => ({
      start: async () => undefined,
      stop: async () => undefined,
      sendSettings: async () => undefined,
      onRunningChange: () => ({ dispose: () => undefined }),
      serverVersion: () => "0.1.0",
      diagnosedUris: () => [],
      dispose: () => undefined,
      ...client,
    }),
  });
  return { controller, log };
}

describe("CLI helpers", () => {
  it("parses `rules --json`", () => {
    const rules = parseRules(RULES_JSON);
    assert.deepEqual(
      rules.map((r) => [r.id, r.name, r.fixable]),
      [
        ["EXO001", "exchange-basic-auth", true],
        ["EXO002", "exchange-ews-retirement", false],
      ],
    );
    assert.throws(() => parseRules("{}"), /did not print a list/);
    assert.throws(() => parseRules('[{"id": 1}]'), /no id or name/);
    assert.throws(() => parseRules("not json"));
  });

  it("reports the program's error output when it fails", async () => {
    const bin = fakeCli();
    assert.match(await runCli(bin, ["explain", "EXO001"]), /^# EXO001/);
    await assert.rejects(runCli(bin, ["explain", "NOPE1"]), /unknown rule NOPE1/);
  });
});

describe("Explain Rule", () => {
  beforeEach(() => controls.reset());

  it("offers the rules in a quick pick and previews the chosen rule's documentation", async () => {
    const { controller, log } = controllerWith(fakeCli());
    const docs = new RuleDocProvider();
    controls.quickPick = "EXO001";
    await explainRuleCommand(controller, docs, log);
    assert.deepEqual(
      controls.quickPickItems.map((i) => i.label),
      ["EXO001", "EXO002"],
    );
    assert.match(controls.quickPickItems[0].detail ?? "", /fix available/);
    const preview = controls.executed.find((e) => e.command === "markdown.showPreview");
    assert.ok(preview, "opens a Markdown preview");
    const uri = preview.args[0] as vscode.Uri;
    assert.equal(uri.scheme, "exchange-auth-lint-rule");
    assert.match(docs.provideTextDocumentContent(uri), /^# EXO001 exchange-basic-auth/);
  });

  it("opens a rule given as argument, and shows a failure as one message", async () => {
    const { controller, log } = controllerWith(fakeCli());
    const docs = new RuleDocProvider();
    await explainRuleCommand(controller, docs, log, "EXO001");
    assert.equal(controls.quickPickItems.length, 0);
    assert.match(docs.provideTextDocumentContent(RuleDocProvider.uriFor("EXO001")), /Why\./);
    await explainRuleCommand(controller, docs, log, "NOPE1");
    const errors = controls.messages.filter((m) => m.level === "error");
    assert.equal(errors.length, 1);
    assert.match(errors[0].text, /unknown rule NOPE1/);
  });

  it("names the setting when there is no binary", async () => {
    const { controller, log } = controllerWith("/nowhere/exchange-auth-lint");
    await explainRuleCommand(controller, new RuleDocProvider(), log);
    const errors = controls.messages.filter((m) => m.level === "error");
    assert.equal(errors.length, 1);
    assert.match(errors[0].text, /exchangeAuthLint\.path/);
  });
});

describe("Fix All", () => {
  beforeEach(() => controls.reset());

  it("applies the server's source.fixAll.exchange-auth-lint action in every file with problems", async () => {
    const a = vscode.Uri.file("/p/A.namedCredential-meta.xml");
    const b = vscode.Uri.file("/p/EmailIntegration.settings-meta.xml");
    controls.documents.set(a.path, "<a>\n</a>\n");
    controls.documents.set(b.path, "<b/>\n");
    const { controller, log } = controllerWith(fakeCli(), { diagnosedUris: () => [a, b] });
    await controller.start();
    const requests: unknown[][] = [];
    controls.commandResults.set("vscode.executeCodeActionProvider", (...args: unknown[]) => {
      requests.push(args);
      const uri = args[0] as vscode.Uri;
      if (uri.path === b.path) {
        return []; // nothing auto-fixable there
      }
      return [
        { title: "Fix all exchange-auth-lint problems in this file", kind: FIX_ALL_KIND, edit: { id: "edit-a" } },
        { title: "Disable EXO001", kind: vscode.CodeActionKind.QuickFix, edit: { id: "not-me" } },
      ];
    });
    const result = await fixAllCommand(controller, log);
    assert.deepEqual(result, { files: 1, actions: 1 });
    assert.deepEqual(controls.appliedEdits, [{ id: "edit-a" }]);
    assert.equal(requests.length, 2);
    assert.equal(requests[0][2], "source.fixAll.exchange-auth-lint");
    const range = requests[0][1] as vscode.Range;
    assert.deepEqual([range.start.line, range.end.line], [0, 2], "asks for the whole file");
    assert.ok(controls.messages.some((m) => m.level === "info" && /fixed problems in 1 file/.test(m.text)));
  });

  it("says so when the server is not running", async () => {
    const { controller, log } = controllerWith("/nowhere/exchange-auth-lint");
    await controller.start();
    const result = await fixAllCommand(controller, log);
    assert.deepEqual(result, { files: 0, actions: 0 });
    assert.ok(controls.messages.some((m) => m.level === "warning" && /not running/.test(m.text)));
  });
});
