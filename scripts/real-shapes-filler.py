#!/usr/bin/env python3
"""Writes the unrelated metadata of the real-shapes corpus (fixtures/real-shapes).

A real org retrieve is mostly files no rule of this linter reads: custom
objects and fields, list views, layouts, tabs, profiles, permission sets,
applications, Apex selectors, services, tests and triggers, and dozens of
settings files. This script writes that bulk for each corpus project, in the
shapes a retrieve writes them (source format, or metadata API format for
`mdapi-org`), so the corpus checks the linter among realistic noise.

It never writes the files the rules are about (EmailIntegration and EAC
settings, named and external credentials, auth providers, remote sites,
custom metadata records, the Apex that calls out): those are written by hand
in each project. The output is deterministic; the files are committed, and
running the script again must leave `git status` clean:

    python3 scripts/real-shapes-filler.py

See docs/precision.md ("Adding a project").
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "real-shapes"
API = "62.0"
NS = "http://soap.sforce.com/2006/04/metadata"

# project folder -> (package folder, metadata API format?, objects)
PROJECTS = {
    "google-org": ("force-app/main/default", False,
                   ["Store__c", "Product_Review__c", "Shipment__c", "Loyalty_Card__c"]),
    "microsoft-eac-org": ("force-app/main/default", False,
                          ["Project__c", "Timesheet__c", "Consultant_Skill__c", "Engagement__c"]),
    "lightning-sync-org": ("force-app/main/default", False,
                           ["Property__c", "Viewing__c", "Offer__c", "Tenancy__c"]),
    "auth-providers-org": ("force-app/main/default", False,
                           ["Member__c", "Event_Registration__c", "Donation__c"]),
    "currency-org": ("force-app/main/default", False,
                     ["Invoice__c", "Invoice_Line__c", "Exchange_Rate__c", "Payment__c"]),
    "apex-org": ("force-app/main/default", False,
                 ["Asset_Inspection__c", "Work_Permit__c", "Site__c"]),
    "mdapi-org": ("src", True, ["Claim__c", "Policy__c", "Broker__c"]),
}

# Settings a full retrieve writes, with one or two real fields each
# (EmailIntegration and EAC are hand-written per project).
SETTINGS = {
    "Account": [("enableAccountOwnerReport", "true"), ("showViewHierarchyLink", "true")],
    "Activities": [("enableActivityReminders", "true"), ("enableMultidayEvents", "true")],
    "Address": [("countriesAndStates", None)],
    "Apex": [("enableAggregateCodeCoverageOnly", "false"), ("enableApexApprovalLockUnlock", "false")],
    "BusinessHours": [("businessHours", None)],
    "Case": [("closeCaseThroughStatusChange", "false"), ("enableCaseFeed", "true")],
    "Chatter": [("enableChatter", "true"), ("enableRichLinkPreviewsInFeed", "true")],
    "Communities": [("enableNetworksEnabled", "true")],
    "Company": [("enableCustomFiscalYear", "false")],
    "Content": [("enableContent", "true"), ("enableFilesUsrShareNetRestricted", "false")],
    "Currency": [("enableMultiCurrency", "false")],
    "EmailAdministration": [("enableEmailSenderIdCompliance", "false"), ("enableEmailToSalesforce", "false")],
    "EnhancedNotes": [("enableEnhancedNotes", "true")],
    "Flow": [("enableFlowBREncodedFixEnabled", "true"), ("isAccessToInvokedApexRequired", "true")],
    "Forecasting": [("enableForecasts", "false")],
    "Knowledge": [("enableKnowledge", "false")],
    "LightningExperience": [("enableS1DesktopEnabled", "true")],
    "MyDomain": [("canOnlyLoginWithMyDomainUrl", "true"), ("enableNativeBrowserForAuthOnAndroid", "false")],
    "Name": [("enableMiddleName", "false"), ("enableNameSuffix", "false")],
    "Opportunity": [("enableOpportunityTeam", "true"), ("enableUpdateReminders", "false")],
    "OrgSettings": [("enableCustomerSuccessPortal", "false"), ("enableMakeDeploymentsMandatory", "false")],
    "PathAssistant": [("pathAssistantEnabled", "true")],
    "Quote": [("enableQuote", "false")],
    "Search": [("documentContentSearchEnabled", "true"), ("optimizeSearchForCJKEnabled", "false")],
    "Security": [("enableAdminLoginAsAnyUser", "false")],
    "Sharing": [("enableAccountRoleOptimization", "true"), ("enableSecureGuestAccess", "true")],
    "UserEngagement": [("enableOrchestrationInSandbox", "false"), ("enableShowSalesforceUserAssist", "true")],
    "UserInterface": [("enableCollapsibleSections", "true"), ("enableInlineEdit", "true")],
    "UserManagement": [("enableEnhancedPermsetMgmt", "true"), ("enableScrambleUserData", "false")],
}

FIELD_TYPES = [
    ("Status__c", "Picklist"),
    ("Amount__c", "Currency"),
    ("Start_Date__c", "Date"),
    ("Notes__c", "LongTextArea"),
]


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def label(api_name: str) -> str:
    return api_name.removesuffix("__c").replace("_", " ")


def xml(root: str, body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<{root} xmlns="{NS}">\n{body}</{root}>\n'


def settings_file(name: str, fields) -> str:
    body = ""
    for field, value in fields:
        if name == "Address" and field == "countriesAndStates":
            body += ("    <countriesAndStates>\n        <countries>\n"
                     "            <active>true</active>\n            <integrationValue>Australia</integrationValue>\n"
                     "            <isoCode>AU</isoCode>\n            <label>Australia</label>\n"
                     "            <orgDefault>false</orgDefault>\n            <standard>true</standard>\n"
                     "            <visible>true</visible>\n        </countries>\n    </countriesAndStates>\n")
        elif name == "BusinessHours":
            body += ("    <businessHours>\n        <active>true</active>\n        <default>true</default>\n"
                     "        <mondayEndTime>17:00:00.000Z</mondayEndTime>\n"
                     "        <mondayStartTime>09:00:00.000Z</mondayStartTime>\n"
                     "        <name>Default</name>\n        <timeZoneId>Australia/Sydney</timeZoneId>\n"
                     "    </businessHours>\n")
        else:
            body += f"    <{field}>{value}</{field}>\n"
    return xml(f"{name}Settings", body)


def field_file(obj: str, field: str, kind: str) -> str:
    extra = {
        "Picklist": ("    <valueSet>\n        <restricted>true</restricted>\n        <valueSetDefinition>\n"
                     "            <sorted>false</sorted>\n"
                     "            <value>\n                <fullName>Open</fullName>\n"
                     "                <default>true</default>\n                <label>Open</label>\n"
                     "            </value>\n"
                     "            <value>\n                <fullName>Closed</fullName>\n"
                     "                <default>false</default>\n                <label>Closed</label>\n"
                     "            </value>\n        </valueSetDefinition>\n    </valueSet>\n"),
        "Currency": "    <precision>16</precision>\n    <scale>2</scale>\n",
        "Date": "",
        "LongTextArea": "    <length>32768</length>\n    <visibleLines>5</visibleLines>\n",
    }[kind]
    return xml("CustomField", (
        f"    <fullName>{field}</fullName>\n    <externalId>false</externalId>\n"
        f"    <label>{label(field)}</label>\n{extra}"
        f"    <required>false</required>\n    <trackTrending>false</trackTrending>\n"
        f"    <type>{kind}</type>\n"))


def object_body(obj: str) -> str:
    return (
        "    <actionOverrides>\n        <actionName>View</actionName>\n"
        "        <type>Default</type>\n    </actionOverrides>\n"
        "    <allowInChatterGroups>false</allowInChatterGroups>\n"
        "    <compactLayoutAssignment>SYSTEM</compactLayoutAssignment>\n"
        "    <deploymentStatus>Deployed</deploymentStatus>\n"
        "    <enableActivities>true</enableActivities>\n    <enableHistory>true</enableHistory>\n"
        "    <enableReports>true</enableReports>\n    <enableSearch>true</enableSearch>\n"
        f"    <label>{label(obj)}</label>\n"
        f"    <nameField>\n        <label>{label(obj)} Name</label>\n"
        "        <trackHistory>false</trackHistory>\n        <type>Text</type>\n    </nameField>\n"
        f"    <pluralLabel>{label(obj)}s</pluralLabel>\n"
        "    <searchLayouts/>\n    <sharingModel>ReadWrite</sharingModel>\n"
        "    <visibility>Public</visibility>\n")


def list_view() -> str:
    return (
        "    <fullName>All</fullName>\n    <columns>NAME</columns>\n"
        "    <columns>Status__c</columns>\n    <filterScope>Everything</filterScope>\n"
        "    <label>All</label>\n")


def layout(obj: str) -> str:
    items = "".join(
        f"            <layoutItems>\n                <behavior>Edit</behavior>\n"
        f"                <field>{f}</field>\n            </layoutItems>\n"
        for f, _ in FIELD_TYPES)
    return xml("Layout", (
        "    <layoutSections>\n        <customLabel>false</customLabel>\n"
        "        <detailHeading>false</detailHeading>\n        <editHeading>true</editHeading>\n"
        f"        <label>Information</label>\n        <layoutColumns>\n{items}"
        "        </layoutColumns>\n        <style>TwoColumnsTopToBottom</style>\n    </layoutSections>\n"
        "    <showEmailCheckbox>false</showEmailCheckbox>\n    <showHighlightsPanel>false</showHighlightsPanel>\n"
        "    <showInteractionLogPanel>false</showInteractionLogPanel>\n"
        "    <showRunAssignmentRulesCheckbox>false</showRunAssignmentRulesCheckbox>\n"
        "    <showSubmitAndAttachButton>false</showSubmitAndAttachButton>\n"))


def tab(obj: str) -> str:
    return xml("CustomTab", "    <customObject>true</customObject>\n"
               "    <motif>Custom20: Airplane</motif>\n")


def profile(name: str, objects) -> str:
    body = "    <custom>false</custom>\n"
    for obj in objects:
        body += (f"    <objectPermissions>\n        <allowCreate>true</allowCreate>\n"
                 f"        <allowDelete>{'true' if name == 'Admin' else 'false'}</allowDelete>\n"
                 "        <allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>\n"
                 f"        <modifyAllRecords>{'true' if name == 'Admin' else 'false'}</modifyAllRecords>\n"
                 f"        <object>{obj}</object>\n"
                 f"        <viewAllRecords>{'true' if name == 'Admin' else 'false'}</viewAllRecords>\n"
                 "    </objectPermissions>\n")
    for obj in objects:
        body += (f"    <tabVisibilities>\n        <tab>{obj}</tab>\n"
                 "        <visibility>DefaultOn</visibility>\n    </tabVisibilities>\n")
    body += "    <userLicense>Salesforce</userLicense>\n"
    body += ("    <userPermissions>\n        <enabled>true</enabled>\n"
             "        <name>ApiEnabled</name>\n    </userPermissions>\n")
    return xml("Profile", body)


def permission_set(name: str, objects) -> str:
    body = f"    <hasActivationRequired>false</hasActivationRequired>\n    <label>{name.replace('_', ' ')}</label>\n"
    for obj in objects:
        for field, _ in FIELD_TYPES:
            body += (f"    <fieldPermissions>\n        <editable>true</editable>\n"
                     f"        <field>{obj}.{field}</field>\n        <readable>true</readable>\n"
                     "    </fieldPermissions>\n")
    return xml("PermissionSet", body)


def application(project: str, objects) -> str:
    tabs = "".join(f"    <tabs>{o}</tabs>\n" for o in objects)
    return xml("CustomApplication", (
        "    <formFactors>Large</formFactors>\n    <isNavAutomaticRefresh>false</isNavAutomaticRefresh>\n"
        "    <isNavPersonalizationDisabled>false</isNavPersonalizationDisabled>\n"
        f"    <label>{project.replace('-', ' ').title()}</label>\n"
        "    <navType>Standard</navType>\n" + tabs +
        "    <uiType>Lightning</uiType>\n"))


def class_meta() -> str:
    return xml("ApexClass", f"    <apiVersion>{API}</apiVersion>\n    <status>Active</status>\n")


def trigger_meta() -> str:
    return xml("ApexTrigger", f"    <apiVersion>{API}</apiVersion>\n    <status>Active</status>\n")


def selector(obj: str) -> str:
    base = obj.removesuffix("__c").replace("_", "")
    return f"""public inherited sharing class {base}Selector {{
    public List<{obj}> byIds(Set<Id> ids) {{
        return [
            SELECT Id, Name, Status__c, Amount__c, Start_Date__c
            FROM {obj}
            WHERE Id IN :ids
            WITH USER_MODE
        ];
    }}

    public List<{obj}> openSince(Date since) {{
        return [
            SELECT Id, Name, Status__c
            FROM {obj}
            WHERE Status__c = 'Open' AND Start_Date__c >= :since
            WITH USER_MODE
            ORDER BY Start_Date__c
            LIMIT 2000
        ];
    }}
}}
"""


def service(obj: str) -> str:
    base = obj.removesuffix("__c").replace("_", "")
    return f"""public with sharing class {base}Service {{
    public class {base}Exception extends Exception {{}}

    public static void close(Set<Id> ids) {{
        List<{obj}> records = new {base}Selector().byIds(ids);
        for ({obj} r : records) {{
            if (r.Status__c == 'Closed') {{
                throw new {base}Exception('Already closed: ' + r.Name);
            }}
            r.Status__c = 'Closed';
        }}
        update as user records;
    }}

    public static Decimal total(List<{obj}> records) {{
        Decimal sum = 0;
        for ({obj} r : records) {{
            sum += r.Amount__c == null ? 0 : r.Amount__c;
        }}
        return sum;
    }}
}}
"""


def service_test(obj: str) -> str:
    base = obj.removesuffix("__c").replace("_", "")
    return f"""@IsTest
private class {base}ServiceTest {{
    @TestSetup
    static void setup() {{
        insert new List<{obj}>{{
            new {obj}(Name = 'A', Status__c = 'Open', Amount__c = 10),
            new {obj}(Name = 'B', Status__c = 'Open', Amount__c = 32.5)
        }};
    }}

    @IsTest
    static void closesOpenRecords() {{
        Map<Id, {obj}> records = new Map<Id, {obj}>([SELECT Id FROM {obj}]);
        Test.startTest();
        {base}Service.close(records.keySet());
        Test.stopTest();
        Assert.areEqual(0, [SELECT COUNT() FROM {obj} WHERE Status__c = 'Open']);
    }}

    @IsTest
    static void addsAmounts() {{
        Assert.areEqual(42.5, {base}Service.total([SELECT Amount__c FROM {obj}]));
    }}
}}
"""


def trigger(obj: str) -> str:
    base = obj.removesuffix("__c").replace("_", "")
    return f"""trigger {base}Trigger on {obj} (before insert, before update) {{
    for ({obj} r : Trigger.new) {{
        if (r.Status__c == null) {{
            r.Status__c = 'Open';
        }}
    }}
}}
"""


def package_xml(objects) -> str:
    def types(members, name):
        m = "".join(f"        <members>{x}</members>\n" for x in sorted(members))
        return f"    <types>\n{m}        <name>{name}</name>\n    </types>\n"
    bases = [o.removesuffix("__c").replace("_", "") for o in objects]
    classes = [b + s for b in bases for s in ("Selector", "Service", "ServiceTest")]
    body = (
        types(classes + ["ClaimCurrencyService", "PolicyDocumentService"], "ApexClass")
        + types([b + "Trigger" for b in bases], "ApexTrigger")
        + types(["Insurance_Portal"], "AuthProvider")
        + types(["Mdapi_Org"], "CustomApplication")
        + types([f"{o}.{f}" for o in objects for f, _ in FIELD_TYPES], "CustomField")
        + types(objects, "CustomObject")
        + types(objects, "CustomTab")
        + types([f"{o}-{label(o)} Layout" for o in objects], "Layout")
        + types([f"{o}.All" for o in objects], "ListView")
        + types(["Policy_Admin_API"], "NamedCredential")
        + types([label(objects[0]).replace(" ", "_") + "_Manager"], "PermissionSet")
        + types(["Admin", "Standard"], "Profile")
        + types(["Rates_Feed"], "RemoteSiteSetting")
        + types(sorted(list(SETTINGS) + ["EmailIntegration"]), "Settings")
    )
    return xml("Package", body + f"    <version>{API}</version>\n")


def generate(project: str, pkg: str, mdapi: bool, objects) -> int:
    base = ROOT / project / pkg
    meta = "" if mdapi else "-meta.xml"
    n = 0

    def put(rel: str, text: str) -> None:
        nonlocal n
        write(base / rel, text)
        n += 1

    for name, fields in SETTINGS.items():
        put(f"settings/{name}.settings{meta}", settings_file(name, fields))
    for obj in objects:
        if mdapi:
            # Metadata API format: one object file holding its fields and views.
            # Elements in the alphabetical order a retrieve writes them.
            fields = ""
            for field, kind in FIELD_TYPES:
                fields += "    <fields>\n" + "".join(
                    "    " + line + "\n"
                    for line in field_file(obj, field, kind).splitlines()[2:-1]
                ) + "    </fields>\n"
            views = "    <listViews>\n" + "".join(
                "    " + line + "\n" for line in list_view().splitlines()) + "    </listViews>\n"
            inner = object_body(obj).replace("    <label>", fields + "    <label>", 1)
            inner = inner.replace("    <nameField>", views + "    <nameField>", 1)
            put(f"objects/{obj}.object", xml("CustomObject", inner))
        else:
            put(f"objects/{obj}/{obj}.object{meta}", xml("CustomObject", object_body(obj)))
            for field, kind in FIELD_TYPES:
                put(f"objects/{obj}/fields/{field}.field{meta}", field_file(obj, field, kind))
            put(f"objects/{obj}/listViews/All.listView{meta}", xml("ListView", list_view()))
        put(f"layouts/{obj}-{label(obj)} Layout.layout{meta}", layout(obj))
        put(f"tabs/{obj}.tab{meta}", tab(obj))
        b = obj.removesuffix("__c").replace("_", "")
        for cls, text in ((f"{b}Selector", selector(obj)), (f"{b}Service", service(obj)),
                          (f"{b}ServiceTest", service_test(obj))):
            put(f"classes/{cls}.cls", text)
            put(f"classes/{cls}.cls-meta.xml", class_meta())
        put(f"triggers/{b}Trigger.trigger", trigger(obj))
        put(f"triggers/{b}Trigger.trigger-meta.xml", trigger_meta())
    for p in ("Admin", "Standard"):
        put(f"profiles/{p}.profile{meta}", profile(p, objects))
    put(f"permissionsets/{label(objects[0]).replace(' ', '_')}_Manager.permissionset{meta}",
        permission_set(f"{label(objects[0]).replace(' ', '_')}_Manager", objects))
    put(f"applications/{project.replace('-', '_').title()}.app{meta}", application(project, objects))
    if mdapi:
        put("package.xml", package_xml(objects))
    return n


def main() -> None:
    total = 0
    for project, (pkg, mdapi, objects) in PROJECTS.items():
        n = generate(project, pkg, mdapi, objects)
        print(f"{project}: {n} generated files")
        total += n
    print(f"total: {total}")


if __name__ == "__main__":
    main()
