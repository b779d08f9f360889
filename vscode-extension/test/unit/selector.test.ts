import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { describe, it } from "node:test";
import { combinedGlob, documentSelector, isWatchedPath, METADATA_GLOBS } from "../../src/selector";

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8"));

describe("document selector", () => {
  it("covers both source formats of every metadata type the rules read", () => {
    for (const type of ["namedCredential", "externalCredential", "authprovider", "remoteSite"]) {
      assert.ok(METADATA_GLOBS.includes(`*.${type}-meta.xml`), type);
      assert.ok(METADATA_GLOBS.includes(`*.${type}`), type);
    }
    for (const settings of ["EmailIntegration.settings", "EAC.settings"]) {
      assert.ok(METADATA_GLOBS.includes(settings));
      assert.ok(METADATA_GLOBS.includes(`${settings}-meta.xml`));
    }
  });

  it("matches files by path with scheme file, whatever their language", () => {
    const sel = documentSelector();
    assert.ok(sel.every((f) => f.scheme === "file" && f.pattern.startsWith("**/") && !("language" in f)));
    assert.ok(sel.some((f) => f.pattern === "**/sfdx-project.json"));
    assert.equal(sel.length, METADATA_GLOBS.length + 1);
    assert.equal(combinedGlob().split(",").length, METADATA_GLOBS.length + 1);
  });

  it("recognises watched files", () => {
    const yes = [
      "/p/force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml",
      "/p/src/namedCredentials/Exchange.namedCredential",
      "/p/x/Room.externalCredential-meta.xml",
      "/p/x/Room.externalCredential",
      "/p/x/SharePoint_ACS.authprovider-meta.xml",
      "/p/x/Ms.authprovider",
      "/p/x/Exchange_Online.remoteSite-meta.xml",
      "/p/x/Exchange_Online.remoteSite",
      "/p/settings/EmailIntegration.settings-meta.xml",
      "/p/settings/EmailIntegration.settings",
      "/p/settings/EAC.settings-meta.xml",
      "/p/settings/EAC.settings",
      "/p/sfdx-project.json",
      "C:\\p\\settings\\EAC.settings-meta.xml",
      "/p/classes/RoomFinder.cls",
      "/p/triggers/ContactSync.trigger",
      "/p/customMetadata/Mailbox_Integration.Production.md-meta.xml",
    ];
    const no = [
      "/p/x/.namedCredential-meta.xml",
      "/p/x/Exchange.namedCredential-meta.xml.bak",
      "/p/settings/Security.settings-meta.xml",
      "/p/settings/MyEAC.settings-meta.xml",
      "/p/classes/RoomFinder.cls-meta.xml",
      "/p/sfdx-project.json.orig",
      "/p/package.json",
      "/p/README.md",
    ];
    for (const f of yes) {
      assert.ok(isWatchedPath(f), f);
    }
    for (const f of no) {
      assert.ok(!isWatchedPath(f), f);
    }
  });

  it("activates on every selector pattern and on sfdx-project.json", () => {
    const events: string[] = manifest.activationEvents;
    assert.ok(events.includes("workspaceContains:**/sfdx-project.json"));
    for (const glob of METADATA_GLOBS) {
      assert.ok(events.includes(`workspaceContains:**/${glob}`), glob);
    }
  });
});
