import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { beforeEach, describe, it } from "node:test";
import * as vscode from "vscode";
import { COMMANDS } from "../../src/activation";
import { GET_STARTED, WALKTHROUGH, welcomeOnce, WELCOMED_KEY } from "../../src/welcome";
import { controls } from "./stub-vscode";

const root = path.join(__dirname, "..", "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

function memento(): vscode.Memento & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    keys: () => [...values.keys()],
    get: <T>(key: string, d?: T) => (values.has(key) ? (values.get(key) as T) : d),
    update: async (key: string, value: unknown) => {
      values.set(key, value);
    },
  } as vscode.Memento & { values: Map<string, unknown> };
}

describe("welcome and walkthrough", () => {
  beforeEach(() => controls.reset());

  it("offers the walkthrough once, on the first activation in an SFDX project", async () => {
    const state = memento();
    controls.foundFiles.push(vscode.Uri.file("/p/sfdx-project.json"));
    controls.messageAnswer = GET_STARTED;
    await welcomeOnce(state);
    assert.equal(controls.messages.length, 1);
    assert.deepEqual(controls.messages[0].actions, [GET_STARTED]);
    assert.deepEqual(controls.executed, [{ command: "workbench.action.openWalkthrough", args: [WALKTHROUGH, false] }]);
    assert.equal(state.values.get(WELCOMED_KEY), true);
    await welcomeOnce(state);
    assert.equal(controls.messages.length, 1, "never twice");
  });

  it("says nothing outside an SFDX project, and nothing without state", async () => {
    const state = memento();
    await welcomeOnce(state);
    assert.equal(controls.messages.length, 0);
    assert.equal(state.values.size, 0, "still offered when a project is opened later");
    controls.foundFiles.push(vscode.Uri.file("/p/sfdx-project.json"));
    await welcomeOnce(undefined);
    assert.equal(controls.messages.length, 0);
  });

  it("the walkthrough exists under the id the welcome opens, with images and known commands", () => {
    const [extensionId, walkthroughId] = WALKTHROUGH.split("#");
    assert.equal(extensionId, `${manifest.publisher}.${manifest.name}`);
    const walkthrough = manifest.contributes.walkthroughs.find((w: { id: string }) => w.id === walkthroughId);
    assert.ok(walkthrough, "contributes.walkthroughs has it");
    assert.ok(walkthrough.steps.length >= 3);
    for (const step of walkthrough.steps) {
      assert.ok(fs.existsSync(path.join(root, step.media.image)), step.media.image);
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)\)/g)) {
        assert.ok(
          command.startsWith("workbench.") || (COMMANDS as readonly string[]).includes(command),
          `${step.id}: unknown command ${command}`,
        );
      }
    }
  });
});

describe("README", () => {
  it("images are files of the extension, which package.sh makes absolute at the version's tag (vsce ignores repository.directory)", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    assert.ok(images.length >= 3, "the screenshots");
    for (const src of images) {
      assert.match(src, /^images\/[\w-]+\.png$/);
      assert.ok(fs.existsSync(path.join(root, src)), `${src}: no such file in the extension`);
    }
    const repo = manifest.repository.url.replace(/^https:\/\/github\.com\//, "").replace(/\.git$/, "");
    const script = fs.readFileSync(path.join(root, "scripts", "package.sh"), "utf8");
    assert.ok(script.includes(`slug=${repo}`), "package.sh rewrites into the package.json repository");
    assert.match(script, /--baseImagesUrl "https:\/\/raw\.githubusercontent\.com\/\$slug\/v\$version\/vscode-extension\/"/);
    assert.doesNotMatch(readme, /<img\s/);
  });
});
