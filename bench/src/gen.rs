//! A synthetic SFDX org, deterministic by seed: the same `(files, seed)`
//! always writes the same bytes to the same paths.
//!
//! The mix follows what a large org's `force-app` looks like: mostly Apex
//! classes, custom fields, Lightning components, layouts and flows; a few
//! very large profiles (1–5 MB); static resources; and a handful of the
//! files the linter reads (credentials, remote sites, auth providers,
//! settings), some of them flagged, most clean. One credential file is about
//! 1 MB, for editor-latency measurements on a large document.

use exchange_auth_lint::metadata::MetadataKind;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Bumped whenever the output for a given `(files, seed)` changes, so that
/// cached trees are regenerated.
pub const GENERATOR_VERSION: u32 = 2;

/// The package directory every generated file lives in.
pub const PACKAGE_DIR: &str = "force-app";
const DEFAULT: &str = "force-app/main/default";

/// The ~1 MB credential file (relative to the org root).
pub const LARGE_CREDENTIAL: &str =
    "force-app/main/default/namedCredentials/Partner_Gateway.namedCredential-meta.xml";
/// A small, flagged credential file (relative to the org root).
pub const SMALL_CREDENTIAL: &str =
    "force-app/main/default/namedCredentials/Exchange_Sync_Service.namedCredential-meta.xml";

/// A 5,000-line Apex class that still calls EWS (the editor benchmark's
/// Apex document; flagged).
pub const LARGE_APEX: &str = "force-app/main/default/classes/EwsMailboxGateway.cls";

/// SplitMix64: tiny, fast and fully determined by its seed.
#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
    /// Sizes skewed towards the low end, like real files.
    pub fn skewed(&mut self, lo: usize, hi: usize) -> usize {
        let a = self.range(lo, hi);
        let b = self.range(lo, hi);
        a.min(b)
    }
}

const WORDS: &[&str] = &[
    "Account",
    "Contact",
    "Opportunity",
    "Quote",
    "Invoice",
    "Order",
    "Billing",
    "Shipment",
    "Renewal",
    "Territory",
    "Campaign",
    "Partner",
    "Asset",
    "Contract",
    "Entitlement",
    "Case",
    "Lead",
    "Product",
    "Pricing",
    "Discount",
    "Approval",
    "Forecast",
    "Region",
    "Survey",
    "Warranty",
    "Inventory",
    "Payment",
    "Ledger",
    "Subscription",
    "Usage",
];
const ROLES: &[&str] = &[
    "Service",
    "Selector",
    "Handler",
    "Controller",
    "Batch",
    "Queueable",
    "Scheduler",
    "Helper",
    "Domain",
    "Mapper",
    "Validator",
    "Builder",
];
const FIELD_TYPES: &[&str] = &[
    "Text",
    "Number",
    "Checkbox",
    "Date",
    "DateTime",
    "Picklist",
    "Currency",
    "Lookup",
    "Email",
    "Percent",
    "LongTextArea",
    "Url",
];
const SETTINGS: &[&str] = &[
    "Account",
    "Activities",
    "Address",
    "Apex",
    "BusinessHours",
    "Case",
    "Chatter",
    "Communities",
    "Company",
    "Content",
    "Currency",
    "DevHub",
    "Email",
    "EmailAdministration",
    "Encryption",
    "EnhancedNotes",
    "Entitlement",
    "Forecasting",
    "Ideas",
    "Knowledge",
    "LightningExperience",
    "Mobile",
    "MyDomain",
    "Name",
    "OmniChannel",
    "Opportunity",
    "OrgPreference",
    "Pathassistant",
    "Product",
    "Quote",
    "Search",
    "Security",
    "Sharing",
    "Territory2",
    "UserEngagement",
    "UserManagement",
];

/// Counts and sizes of what was written.
#[derive(Default, Debug, Clone)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    /// Files the linter reads (recognised by their suffix).
    pub candidates: Vec<PathBuf>,
    pub candidate_bytes: u64,
    /// Candidate files written to be flagged by some rule (relative paths).
    pub flagged: Vec<String>,
    /// Candidate files written to be clean (relative paths).
    pub clean: Vec<String>,
    pub by_category: std::collections::BTreeMap<&'static str, (usize, u64)>,
}

struct Writer<'a> {
    root: &'a Path,
    stats: Stats,
    budget: usize,
}

impl Writer<'_> {
    fn write(&mut self, category: &'static str, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&path, bytes)?;
        self.stats.files += 1;
        self.stats.bytes += bytes.len() as u64;
        let e = self.stats.by_category.entry(category).or_default();
        e.0 += 1;
        e.1 += bytes.len() as u64;
        let name = rel.rsplit('/').next().unwrap_or(rel);
        if MetadataKind::from_file_name(name).is_some() {
            self.stats.candidates.push(path);
            self.stats.candidate_bytes += bytes.len() as u64;
        }
        Ok(())
    }
    fn left(&self) -> usize {
        self.budget.saturating_sub(self.stats.files)
    }
}

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NS: &str = "xmlns=\"http://soap.sforce.com/2006/04/metadata\"";

fn meta(root: &str, api: &str, extra: &str) -> String {
    format!("{XML_HEAD}<{root} {NS}>\n    <apiVersion>{api}</apiVersion>\n{extra}</{root}>\n")
}

/// Writes an org of exactly `files` files (at least the fixed skeleton) to
/// `out`, which must not exist or be empty.
pub fn generate(out: &Path, files: usize, seed: u64) -> io::Result<Stats> {
    let mut rng = Rng::new(seed);
    let mut w = Writer {
        root: out,
        stats: Stats::default(),
        budget: files,
    };
    skeleton(&mut w)?;
    credentials_and_settings(&mut w, &mut rng, files)?;
    large_apex(&mut w)?;
    profiles(&mut w, &mut rng, files)?;
    bulk(&mut w, &mut rng)?;
    Ok(w.stats)
}

/// [`LARGE_APEX`]: an EWS gateway grown over the years, 5,000 lines.
fn large_apex(w: &mut Writer) -> io::Result<()> {
    let mut s = String::from("/**\n * Mailbox gateway over Exchange Web Services.\n */\npublic with sharing class EwsMailboxGateway {\n    private static final String ENDPOINT = 'https://outlook.office365.com/EWS/Exchange.asmx';\n\n");
    let mut i = 0;
    while s.lines().count() < 4_990 {
        let _ = write!(s, "    public static HttpResponse findItems{i}(String mailbox, String folder) {{\n        HttpRequest req = new HttpRequest();\n        req.setEndpoint(ENDPOINT);\n        req.setMethod('POST');\n        req.setHeader('Content-Type', 'text/xml; charset=utf-8');\n        String body = '<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">'\n            + '<soap:Body><m:FindItem xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" Traversal=\"Shallow\">'\n            + '<m:ParentFolderIds><t:DistinguishedFolderId Id=\"' + folder + '\"/></m:ParentFolderIds>'\n            + '</m:FindItem></soap:Body></soap:Envelope>';\n        req.setBody(body);\n        return new Http().send(req);\n    }}\n\n");
        i += 1;
    }
    s.push_str("}\n");
    w.write("apex", LARGE_APEX, s.as_bytes())?;
    w.write(
        "apex",
        &format!("{LARGE_APEX}-meta.xml"),
        meta("ApexClass", "62.0", "    <status>Active</status>\n").as_bytes(),
    )?;
    w.stats.flagged.push(LARGE_APEX.into());
    Ok(())
}

fn skeleton(w: &mut Writer) -> io::Result<()> {
    w.write(
        "project",
        "sfdx-project.json",
        br#"{
  "packageDirectories": [{ "path": "force-app", "default": true }],
  "name": "bench-org",
  "namespace": "",
  "sfdcLoginUrl": "https://login.salesforce.com",
  "sourceApiVersion": "62.0"
}
"#,
    )?;
    w.write(
        "project",
        ".forceignore",
        b"# deploy exclusions\n**/jsconfig.json\n**/.eslintrc.json\n**/__tests__/**\n",
    )?;
    w.write(
        "project",
        "config/project-scratch-def.json",
        br#"{ "orgName": "bench-org", "edition": "Enterprise", "features": ["EnableSetPasswordInApi"] }
"#,
    )?;
    Ok(())
}

/// The files the linter reads: a realistic handful, scaled gently with the
/// org's size.
fn credentials_and_settings(w: &mut Writer, rng: &mut Rng, files: usize) -> io::Result<()> {
    let d = DEFAULT;
    // Settings: the usual ones (clean), plus the two the Lightning Sync
    // rules read. Sync on, EAC off: Lightning Sync is in use.
    for s in SETTINGS {
        let mut body = String::new();
        for i in 0..rng.range(3, 25) {
            let v = if rng.chance(50) { "true" } else { "false" };
            let _ = writeln!(body, "    <enable{s}Feature{i}>{v}</enable{s}Feature{i}>");
        }
        let text = format!("{XML_HEAD}<{s}Settings {NS}>\n{body}</{s}Settings>\n");
        w.write(
            "settings",
            &format!("{d}/settings/{s}.settings-meta.xml"),
            text.as_bytes(),
        )?;
    }
    let email = format!(
        "{XML_HEAD}<EmailIntegrationSettings {NS}>\n    <enableContactAndEventSync>true</enableContactAndEventSync>\n    <enableEmailTrackingInMobile>true</enableEmailTrackingInMobile>\n    <enableOutlookIntegration>true</enableOutlookIntegration>\n    <enableProductivityFeatures>false</enableProductivityFeatures>\n</EmailIntegrationSettings>\n"
    );
    let rel = format!("{d}/settings/EmailIntegration.settings-meta.xml");
    w.write("settings", &rel, email.as_bytes())?;
    w.stats.flagged.push(rel);
    let eac = format!(
        "{XML_HEAD}<EACSettings {NS}>\n    <enableActivityCapture>false</enableActivityCapture>\n    <provisionProductivityFeatures>false</provisionProductivityFeatures>\n</EACSettings>\n"
    );
    w.write(
        "settings",
        &format!("{d}/settings/EAC.settings-meta.xml"),
        eac.as_bytes(),
    )?;

    // Named credentials: one flagged legacy basic-auth credential to
    // Exchange Online (the small LSP document), a scaled number of clean
    // ones to partner APIs, and a flagged share of legacy ones.
    let nc = |endpoint: &str, protocol: &str, label: &str, user: &str, secret: bool| {
        let password = if secret {
            "    <password>Winter2021!</password>\n"
        } else {
            ""
        };
        format!(
            "{XML_HEAD}<NamedCredential {NS}>\n    <allowMergeFieldsInBody>false</allowMergeFieldsInBody>\n    <allowMergeFieldsInHeader>false</allowMergeFieldsInHeader>\n    <endpoint>{endpoint}</endpoint>\n    <generateAuthorizationHeader>true</generateAuthorizationHeader>\n    <label>{label}</label>\n{password}    <principalType>NamedUser</principalType>\n    <protocol>{protocol}</protocol>\n    <username>{user}</username>\n</NamedCredential>\n"
        )
    };
    let text = nc(
        "https://outlook.office365.com/EWS/Exchange.asmx",
        "Password",
        "Exchange Sync Service",
        "svc-lightningsync@contoso.com",
        true,
    );
    w.write("credentials", SMALL_CREDENTIAL, text.as_bytes())?;
    w.stats.flagged.push(SMALL_CREDENTIAL.into());

    let count = 8 + files / 2_000;
    for i in 0..count {
        let word = rng.pick(WORDS);
        let name = format!("{word}_Api_{i}");
        let rel = format!("{d}/namedCredentials/{name}.namedCredential-meta.xml");
        let flagged = i % 7 == 3;
        let text = if flagged {
            nc(
                "https://outlook.office365.com/EWS/Exchange.asmx",
                "Password",
                &format!("{word} mailbox {i}"),
                &format!("svc-{i}@contoso.com"),
                false,
            )
        } else {
            nc(
                &format!("https://api{i}.{}.example.com/v2", word.to_lowercase()),
                if rng.chance(50) {
                    "Oauth"
                } else {
                    "NoAuthentication"
                },
                &format!("{word} API {i}"),
                "integration",
                false,
            )
        };
        w.write("credentials", &rel, text.as_bytes())?;
        if flagged {
            w.stats.flagged.push(rel);
        } else {
            w.stats.clean.push(rel);
        }
    }

    // External credentials: clean OAuth ones.
    for i in 0..(3 + files / 5_000) {
        let rel = format!("{d}/externalCredentials/Service_Oauth_{i}.externalCredential-meta.xml");
        let text = format!(
            "{XML_HEAD}<ExternalCredential {NS}>\n    <authenticationProtocol>Oauth</authenticationProtocol>\n    <externalCredentialParameters>\n        <parameterName>AuthProviderUrl</parameterName>\n        <parameterType>AuthProviderUrl</parameterType>\n        <parameterValue>https://auth{i}.example.com/oauth2/token</parameterValue>\n    </externalCredentialParameters>\n    <externalCredentialParameters>\n        <parameterName>Principal{i}</parameterName>\n        <parameterType>NamedPrincipal</parameterType>\n        <sequenceNumber>1</sequenceNumber>\n    </externalCredentialParameters>\n    <label>Service OAuth {i}</label>\n</ExternalCredential>\n"
        );
        w.write("credentials", &rel, text.as_bytes())?;
        w.stats.clean.push(rel);
    }

    // Auth providers: one Microsoft ACS (flagged), the rest OpenID Connect.
    for i in 0..(2 + files / 10_000) {
        let (name, kind) = if i == 0 {
            ("SharePoint_ACS".to_string(), "MicrosoftACS")
        } else {
            (format!("Partner_SSO_{i}"), "OpenIdConnect")
        };
        let rel = format!("{d}/authproviders/{name}.authprovider-meta.xml");
        let text = format!(
            "{XML_HEAD}<AuthProvider {NS}>\n    <consumerKey>7f3c2d9e-1b4a-4c8e-9f0d-{i:012}</consumerKey>\n    <friendlyName>{name}</friendlyName>\n    <includeOrgIdInIdentifier>false</includeOrgIdInIdentifier>\n    <providerType>{kind}</providerType>\n    <sendAccessTokenInHeader>true</sendAccessTokenInHeader>\n</AuthProvider>\n"
        );
        w.write("credentials", &rel, text.as_bytes())?;
        if i == 0 {
            w.stats.flagged.push(rel);
        } else {
            w.stats.clean.push(rel);
        }
    }

    // Remote sites: mostly partner hosts over HTTPS; a few Microsoft hosts
    // with protocol security disabled (flagged).
    for i in 0..(10 + files / 1_000) {
        let flagged = i % 9 == 4;
        let (name, url, disable) = if flagged {
            (
                format!("Exchange_Online_{i}"),
                "https://outlook.office365.com".to_string(),
                "true",
            )
        } else {
            let word = rng.pick(WORDS).to_lowercase();
            (
                format!("Partner_{word}_{i}"),
                format!("https://{word}{i}.partner.example.com"),
                "false",
            )
        };
        let rel = format!("{d}/remoteSiteSettings/{name}.remoteSite-meta.xml");
        let text = format!(
            "{XML_HEAD}<RemoteSiteSetting {NS}>\n    <description>Callouts for {name}</description>\n    <disableProtocolSecurity>{disable}</disableProtocolSecurity>\n    <isActive>true</isActive>\n    <url>{url}</url>\n</RemoteSiteSetting>\n"
        );
        w.write("credentials", &rel, text.as_bytes())?;
        if flagged {
            w.stats.flagged.push(rel);
        } else {
            w.stats.clean.push(rel);
        }
    }

    // The ~1 MB credential: a gateway with thousands of header parameters,
    // its URL on EWS (flagged).
    let mut text = format!(
        "{XML_HEAD}<NamedCredential {NS}>\n    <allowMergeFieldsInBody>false</allowMergeFieldsInBody>\n    <allowMergeFieldsInHeader>true</allowMergeFieldsInHeader>\n    <calloutStatus>Enabled</calloutStatus>\n    <generateAuthorizationHeader>true</generateAuthorizationHeader>\n    <label>Partner Gateway</label>\n    <namedCredentialParameters>\n        <parameterName>Url</parameterName>\n        <parameterType>Url</parameterType>\n        <parameterValue>https://outlook.office365.com/EWS/Exchange.asmx</parameterValue>\n    </namedCredentialParameters>\n"
    );
    let mut i = 0;
    while text.len() < 1_000_000 {
        let word = rng.pick(WORDS);
        let _ = write!(
            text,
            "    <namedCredentialParameters>\n        <parameterName>X_{word}_Header_{i}</parameterName>\n        <parameterType>HttpHeader</parameterType>\n        <parameterValue>{{!$Credential.Partner_Gateway.{word}Token{i}}}</parameterValue>\n        <sequenceNumber>{i}</sequenceNumber>\n    </namedCredentialParameters>\n"
        );
        i += 1;
    }
    text.push_str(
        "    <namedCredentialType>SecuredEndpoint</namedCredentialType>\n</NamedCredential>\n",
    );
    w.write("credentials", LARGE_CREDENTIAL, text.as_bytes())?;
    w.stats.flagged.push(LARGE_CREDENTIAL.into());
    Ok(())
}

/// A few very large profiles (1–5 MB each): every field, class and object
/// permission of the org, as real profiles are.
fn profiles(w: &mut Writer, rng: &mut Rng, files: usize) -> io::Result<()> {
    let count = (1 + files / 15_000).min(w.left());
    for p in 0..count {
        let target = rng.range(1_000_000, 5_000_000);
        let mut text = format!("{XML_HEAD}<Profile {NS}>\n");
        let mut i = 0;
        while text.len() < target {
            let obj = rng.pick(WORDS);
            match i % 4 {
                0 | 1 => {
                    let edit = if rng.chance(60) { "true" } else { "false" };
                    let _ = write!(text, "    <fieldPermissions>\n        <editable>{edit}</editable>\n        <field>{obj}__c.Field_{i}__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n");
                }
                2 => {
                    let role = rng.pick(ROLES);
                    let _ = write!(text, "    <classAccesses>\n        <apexClass>{obj}{role}{i}</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>\n");
                }
                _ => {
                    let _ = write!(text, "    <objectPermissions>\n        <allowCreate>true</allowCreate>\n        <allowDelete>false</allowDelete>\n        <allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>{obj}_{i}__c</object>\n        <viewAllRecords>false</viewAllRecords>\n    </objectPermissions>\n");
                }
            }
            i += 1;
        }
        text.push_str("    <userLicense>Salesforce</userLicense>\n</Profile>\n");
        let name = [
            "Admin",
            "Custom%3A Sales Profile",
            "Custom%3A Support Profile",
            "Custom%3A Marketing Profile",
        ][p % 4];
        let rel = format!("{DEFAULT}/profiles/{name}{}.profile-meta.xml", p / 4);
        w.write("profiles", &rel, text.as_bytes())?;
    }
    Ok(())
}

fn apex_class(rng: &mut Rng, name: &str) -> String {
    let mut s = format!(
        "/**\n * {name}: generated for benchmarks.\n */\npublic with sharing class {name} {{\n"
    );
    let methods = rng.skewed(1, 40);
    for m in 0..methods {
        let obj = rng.pick(WORDS);
        let _ = write!(
            s,
            "    public static List<{obj}__c> load{obj}{m}(Set<Id> ids) {{\n        if (ids == null || ids.isEmpty()) {{\n            return new List<{obj}__c>();\n        }}\n        List<{obj}__c> rows = [SELECT Id, Name, Status__c, Amount__c FROM {obj}__c WHERE Id IN :ids WITH USER_MODE];\n        for ({obj}__c row : rows) {{\n            row.Status__c = 'Processed';\n        }}\n        return rows;\n    }}\n\n"
        );
    }
    s.push_str(&callout_method(rng, name));
    s.push_str("}\n");
    s
}

/// What some classes of a real org do besides SOQL: most call nothing,
/// some call partner REST APIs through named credentials (with Bearer
/// headers: they pass the byte pre-filter and are parsed, and report
/// nothing), a few call Microsoft Graph, and a very few still call EWS
/// with a Basic header (flagged).
fn callout_method(rng: &mut Rng, name: &str) -> String {
    let roll = rng.range(0, 999);
    let word = rng.pick(WORDS);
    match roll {
        0..=59 => format!("    public static HttpResponse sync{word}(String token, String body) {{\n        HttpRequest req = new HttpRequest();\n        req.setEndpoint('callout:{word}_Api/v2/records');\n        req.setMethod('POST');\n        req.setHeader('Authorization', 'Bearer ' + token);\n        req.setHeader('Content-Type', 'application/json');\n        req.setBody(body);\n        return new Http().send(req);\n    }}\n"),
        60..=69 => format!("    public static void notify{word}(String mailbox, String payload) {{\n        HttpRequest req = new HttpRequest();\n        req.setEndpoint('callout:Graph_Mail/v1.0/users/' + EncodingUtil.urlEncode(mailbox, 'UTF-8') + '/sendMail');\n        req.setMethod('POST');\n        req.setBody(payload);\n        new Http().send(req);\n    }}\n"),
        70..=72 => format!("    // {name} still books rooms over EWS.\n    public static HttpResponse book{word}(String user, String pass, String soap) {{\n        HttpRequest req = new HttpRequest();\n        req.setEndpoint('https://outlook.office365.com/EWS/Exchange.asmx');\n        req.setHeader('Authorization', 'Basic ' + EncodingUtil.base64Encode(Blob.valueOf(user + ':' + pass)));\n        req.setBody('<soap:Body><m:CreateItem xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">' + soap + '</m:CreateItem></soap:Body>');\n        return new Http().send(req);\n    }}\n"),
        _ => String::new(),
    }
}

fn field(rng: &mut Rng, name: &str) -> String {
    let ty = rng.pick(FIELD_TYPES);
    let extra = match *ty {
        "Text" | "Email" | "Url" => "    <length>255</length>\n".to_string(),
        "Number" | "Currency" | "Percent" => {
            "    <precision>18</precision>\n    <scale>2</scale>\n".to_string()
        }
        "Picklist" => {
            let mut v = String::from("    <valueSet>\n        <valueSetDefinition>\n");
            for i in 0..rng.range(2, 30) {
                let _ = write!(v, "            <value>\n                <fullName>Value {i}</fullName>\n                <default>false</default>\n                <label>Value {i}</label>\n            </value>\n");
            }
            v.push_str("        </valueSetDefinition>\n    </valueSet>\n");
            v
        }
        "Lookup" => format!(
            "    <deleteConstraint>SetNull</deleteConstraint>\n    <referenceTo>{}</referenceTo>\n    <relationshipName>{name}s</relationshipName>\n",
            rng.pick(WORDS)
        ),
        _ => String::new(),
    };
    format!("{XML_HEAD}<CustomField {NS}>\n    <fullName>{name}</fullName>\n    <externalId>false</externalId>\n    <label>{}</label>\n    <required>false</required>\n    <trackHistory>false</trackHistory>\n    <type>{ty}</type>\n{extra}</CustomField>\n", name.replace('_', " ").trim_end_matches(" c"))
}

fn layout(rng: &mut Rng, obj: &str) -> String {
    let mut s = format!("{XML_HEAD}<Layout {NS}>\n");
    for sec in 0..rng.range(2, 12) {
        let _ = write!(s, "    <layoutSections>\n        <customLabel>true</customLabel>\n        <label>Section {sec}</label>\n        <layoutColumns>\n");
        for f in 0..rng.range(2, 20) {
            let _ = write!(s, "            <layoutItems>\n                <behavior>Edit</behavior>\n                <field>{obj}_Field_{sec}_{f}__c</field>\n            </layoutItems>\n");
        }
        s.push_str("        </layoutColumns>\n        <style>TwoColumnsTopToBottom</style>\n    </layoutSections>\n");
    }
    s.push_str("    <showHighlightsPanel>true</showHighlightsPanel>\n</Layout>\n");
    s
}

fn flow(rng: &mut Rng, name: &str) -> String {
    let mut s = format!("{XML_HEAD}<Flow {NS}>\n    <apiVersion>62.0</apiVersion>\n    <label>{name}</label>\n    <processType>AutoLaunchedFlow</processType>\n");
    for n in 0..rng.skewed(3, 200) {
        let _ = write!(s, "    <assignments>\n        <name>Assign_{n}</name>\n        <label>Assign {n}</label>\n        <locationX>{}</locationX>\n        <locationY>{}</locationY>\n        <assignmentItems>\n            <assignToReference>var_{n}</assignToReference>\n            <operator>Assign</operator>\n            <value>\n                <stringValue>{}</stringValue>\n            </value>\n        </assignmentItems>\n        <connector>\n            <targetReference>Assign_{}</targetReference>\n        </connector>\n    </assignments>\n", n * 176, n * 134, rng.pick(WORDS), n + 1);
    }
    s.push_str("    <status>Active</status>\n</Flow>\n");
    s
}

/// Fills the rest of the budget with the bulk of an org, by weighted kind.
fn bulk(w: &mut Writer, rng: &mut Rng) -> io::Result<()> {
    let d = DEFAULT;
    let objects: Vec<String> = (0..(w.left() / 60).max(1))
        .map(|i| format!("{}_{i}__c", rng.pick(WORDS)))
        .collect();
    let mut seen_objects = vec![false; objects.len()];
    let mut n = 0usize;
    while w.left() > 0 {
        n += 1;
        let left = w.left();
        let roll = rng.range(0, 99);
        // (weight, files) per kind; multi-file kinds only while they fit.
        let oi = rng.range(0, objects.len() - 1);
        let obj = &objects[oi];
        if !seen_objects[oi] && left >= 2 {
            seen_objects[oi] = true;
            let text = format!("{XML_HEAD}<CustomObject {NS}>\n    <deploymentStatus>Deployed</deploymentStatus>\n    <label>{obj}</label>\n    <nameField>\n        <label>Name</label>\n        <type>Text</type>\n    </nameField>\n    <pluralLabel>{obj}s</pluralLabel>\n    <sharingModel>ReadWrite</sharingModel>\n</CustomObject>\n");
            w.write(
                "objects",
                &format!("{d}/objects/{obj}/{obj}.object-meta.xml"),
                text.as_bytes(),
            )?;
            continue;
        }
        match roll {
            0..=29 if left >= 2 => {
                let name = format!("{}{}{n}", rng.pick(WORDS), rng.pick(ROLES));
                let cls = apex_class(rng, &name);
                w.write("apex", &format!("{d}/classes/{name}.cls"), cls.as_bytes())?;
                w.write(
                    "apex",
                    &format!("{d}/classes/{name}.cls-meta.xml"),
                    meta("ApexClass", "62.0", "    <status>Active</status>\n").as_bytes(),
                )?;
            }
            30..=31 if left >= 2 => {
                let name = format!("{}Trigger{n}", rng.pick(WORDS));
                let body = format!("trigger {name} on {obj} (before insert, before update) {{\n    new {name}Handler().run(Trigger.new);\n}}\n");
                w.write(
                    "apex",
                    &format!("{d}/triggers/{name}.trigger"),
                    body.as_bytes(),
                )?;
                w.write(
                    "apex",
                    &format!("{d}/triggers/{name}.trigger-meta.xml"),
                    meta("ApexTrigger", "62.0", "    <status>Active</status>\n").as_bytes(),
                )?;
            }
            32..=39 if left >= 3 => {
                let name = format!("{}Panel{n}", rng.pick(WORDS).to_lowercase());
                let js = format!("import {{ LightningElement, api, wire }} from 'lwc';\nimport load from '@salesforce/apex/{obj}Service.load';\n\nexport default class Panel{n} extends LightningElement {{\n    @api recordId;\n    rows = [];\n    @wire(load, {{ recordId: '$recordId' }})\n    wired({{ data, error }}) {{\n        if (data) {{ this.rows = data; }}\n    }}\n}}\n");
                let html = "<template>\n    <lightning-card title=\"Panel\">\n        <template for:each={rows} for:item=\"row\">\n            <p key={row.Id}>{row.Name}</p>\n        </template>\n    </lightning-card>\n</template>\n";
                w.write("lwc", &format!("{d}/lwc/{name}/{name}.js"), js.as_bytes())?;
                w.write(
                    "lwc",
                    &format!("{d}/lwc/{name}/{name}.html"),
                    html.as_bytes(),
                )?;
                w.write(
                    "lwc",
                    &format!("{d}/lwc/{name}/{name}.js-meta.xml"),
                    meta(
                        "LightningComponentBundle",
                        "62.0",
                        "    <isExposed>true</isExposed>\n",
                    )
                    .as_bytes(),
                )?;
            }
            40..=44 => {
                let text = layout(rng, obj);
                w.write(
                    "layouts",
                    &format!("{d}/layouts/{obj}-Layout {n}.layout-meta.xml"),
                    text.as_bytes(),
                )?;
            }
            45..=48 => {
                let name = format!("{}_Automation_{n}", rng.pick(WORDS));
                let text = flow(rng, &name);
                w.write(
                    "flows",
                    &format!("{d}/flows/{name}.flow-meta.xml"),
                    text.as_bytes(),
                )?;
            }
            49..=50 => {
                let name = format!("{}_Access_{n}", rng.pick(WORDS));
                let mut body = String::new();
                for i in 0..rng.skewed(2, 150) {
                    let _ = write!(body, "    <fieldPermissions>\n        <editable>true</editable>\n        <field>{obj}.Field_{i}__c</field>\n        <readable>true</readable>\n    </fieldPermissions>\n");
                }
                let text = format!("{XML_HEAD}<PermissionSet {NS}>\n{body}    <hasActivationRequired>false</hasActivationRequired>\n    <label>{name}</label>\n</PermissionSet>\n");
                w.write(
                    "permissionsets",
                    &format!("{d}/permissionsets/{name}.permissionset-meta.xml"),
                    text.as_bytes(),
                )?;
            }
            51..=52 if left >= 2 => {
                let name = format!("{}_Assets_{n}", rng.pick(WORDS));
                let size = rng.skewed(1_000, 150_000);
                let mut bytes = Vec::with_capacity(size);
                while bytes.len() < size {
                    bytes.extend_from_slice(&rng.next_u64().to_le_bytes());
                }
                bytes.truncate(size);
                w.write(
                    "staticresources",
                    &format!("{d}/staticresources/{name}.resource"),
                    &bytes,
                )?;
                let m = format!("{XML_HEAD}<StaticResource {NS}>\n    <cacheControl>Private</cacheControl>\n    <contentType>application/zip</contentType>\n</StaticResource>\n");
                w.write(
                    "staticresources",
                    &format!("{d}/staticresources/{name}.resource-meta.xml"),
                    m.as_bytes(),
                )?;
            }
            53..=58 => {
                let name = format!("All_{n}");
                let text = format!("{XML_HEAD}<ListView {NS}>\n    <fullName>{name}</fullName>\n    <columns>NAME</columns>\n    <columns>CREATED_DATE</columns>\n    <filterScope>Everything</filterScope>\n    <label>All {n}</label>\n</ListView>\n");
                w.write(
                    "objects",
                    &format!("{d}/objects/{obj}/listViews/{name}.listView-meta.xml"),
                    text.as_bytes(),
                )?;
            }
            59..=60 => {
                let name = format!("Rule_{n}");
                let text = format!("{XML_HEAD}<ValidationRule {NS}>\n    <fullName>{name}</fullName>\n    <active>true</active>\n    <errorConditionFormula>ISBLANK(Name)</errorConditionFormula>\n    <errorMessage>Name is required.</errorMessage>\n</ValidationRule>\n");
                w.write(
                    "objects",
                    &format!("{d}/objects/{obj}/validationRules/{name}.validationRule-meta.xml"),
                    text.as_bytes(),
                )?;
            }
            _ => {
                let name = format!("{}_{n}__c", rng.pick(WORDS));
                let text = field(rng, &name);
                w.write(
                    "objects",
                    &format!("{d}/objects/{obj}/fields/{name}.field-meta.xml"),
                    text.as_bytes(),
                )?;
            }
        }
    }
    Ok(())
}

/// A project of `n` package directories (`pkg/p00000`…), each holding one
/// clean remote site setting: the cost of many package directories (they
/// were compared pairwise: more than 120 s at 50,000).
pub fn generate_package_dirs(out: &Path, n: usize) -> io::Result<()> {
    let mut manifest = String::from("{\n  \"packageDirectories\": [\n");
    for i in 0..n {
        let dir = format!("pkg/p{i:05}");
        let sites = out.join(&dir).join("main/default/remoteSiteSettings");
        fs::create_dir_all(&sites)?;
        fs::write(
            sites.join(format!("Site_{i}.remoteSite-meta.xml")),
            meta(
                "RemoteSiteSetting",
                "62.0",
                &format!(
                    "    <isActive>true</isActive>\n    <url>https://p{i}.example.com</url>\n"
                ),
            ),
        )?;
        let sep = if i + 1 < n { "," } else { "" };
        let _ = writeln!(manifest, "    {{ \"path\": \"{dir}\" }}{sep}");
    }
    manifest.push_str("  ]\n}\n");
    fs::write(out.join("sfdx-project.json"), manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree_digest(root: &Path) -> Vec<(String, u64, u64)> {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, u64, u64)>) {
            for e in fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, root, out);
                } else {
                    let bytes = fs::read(&p).unwrap();
                    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
                    for b in &bytes {
                        h = (h ^ *b as u64).wrapping_mul(0x100_0000_01b3);
                    }
                    let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                    out.push((rel, bytes.len() as u64, h));
                }
            }
        }
        let mut out = Vec::new();
        walk(root, root, &mut out);
        out.sort();
        out
    }

    #[test]
    fn same_seed_same_tree_other_seed_other_tree() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let c = tempfile::tempdir().unwrap();
        generate(a.path(), 400, 7).unwrap();
        generate(b.path(), 400, 7).unwrap();
        generate(c.path(), 400, 8).unwrap();
        let (da, db, dc) = (
            tree_digest(a.path()),
            tree_digest(b.path()),
            tree_digest(c.path()),
        );
        assert_eq!(da, db);
        assert_ne!(da, dc);
    }

    #[test]
    fn writes_exactly_the_requested_count_with_the_mix() {
        let dir = tempfile::tempdir().unwrap();
        let stats = generate(dir.path(), 3_000, 1).unwrap();
        assert_eq!(stats.files, 3_000);
        assert_eq!(tree_digest(dir.path()).len(), 3_000);
        for kind in [
            "apex",
            "objects",
            "layouts",
            "flows",
            "profiles",
            "lwc",
            "staticresources",
            "settings",
            "credentials",
        ] {
            assert!(stats.by_category.contains_key(kind), "no {kind}");
        }
        let (profiles, profile_bytes) = stats.by_category["profiles"];
        assert!(profile_bytes >= profiles as u64 * 1_000_000);
        let large = fs::metadata(dir.path().join(LARGE_CREDENTIAL))
            .unwrap()
            .len();
        assert!((1_000_000..1_100_000).contains(&large), "{large}");
        // Every Apex class and trigger is read (the byte pre-filter decides
        // which are parsed); few metadata candidates, most of them clean.
        let apex = |p: &&PathBuf| p.extension().is_some_and(|e| e == "cls" || e == "trigger");
        let metadata = stats.candidates.iter().filter(|p| !apex(p)).count();
        assert!(metadata < stats.files / 20, "{metadata}");
        assert!(stats.candidates.iter().filter(apex).count() > stats.files / 10);
        assert!(stats.clean.len() > stats.flagged.len());
    }
}
