//! What a rule is ([`Rule`], with its [`Fixer`]) and what it reads
//! ([`Context`]). Rule files take these from here, not from the registry,
//! so the registry can list them without an import circle.

use crate::diagnostic::{Finding, Related, Severity};
use crate::edit::{Draft, Offer};
use crate::facts::{Evidence, EvidenceKind, Facts};
use crate::i18n::Lang;
use crate::metadata::{AuthProvider, ExternalCredential, MetadataKind, NamedCredential};
use crate::project::Project;
use crate::source::{FileId, SourceFile};
use crate::timeline::AsOf;
use crate::tr;
use std::ops::Range;

/// What a rule is, for registries, `rules`, `explain`, SARIF and hover.
pub struct Rule {
    pub id: &'static str,
    pub name: &'static str,
    pub default_severity: Severity,
    /// When the default severity goes up with the as-of date.
    pub escalation: Option<(&'static crate::timeline::Event, Severity)>,
    /// The event after which what the rule reports no longer works (the
    /// date the readable reports give); `None` for findings that are wrong
    /// whatever the date (a committed secret, malformed XML): due now.
    pub breaks_on: Option<&'static crate::timeline::Event>,
    /// How the rule fixes its findings (`None`: it offers no fixes).
    pub fixer: Option<&'static Fixer>,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// Markdown: what it does, why it matters (with dates and sources),
    /// an example, and the fix's safety.
    pub doc: &'static str,
    /// Not part of the regular pass (suppression bookkeeping runs after
    /// suppressions are applied).
    pub check: fn(&Context, &mut Vec<Finding>),
}

impl Rule {
    pub fn fixable(&self) -> bool {
        self.fixer.is_some()
    }

    pub fn severity(&self, as_of: AsOf) -> Severity {
        match self.escalation {
            Some((event, severity)) if as_of.reached(event) => severity,
            _ => self.default_severity,
        }
    }
}

/// How a rule fixes its findings.
pub struct Fixer {
    /// Cheap: the offers for a finding (no edits computed).
    pub offers: fn(&Context, &Finding) -> Vec<Offer>,
    /// The edits of one offer; `Err` says why it cannot be built.
    pub build: fn(&Context, &Finding, &Offer) -> Result<Draft, String>,
}

pub struct Context<'a> {
    pub project: &'a Project,
    pub facts: &'a Facts,
    pub as_of: AsOf,
    pub lang: Lang,
    /// Every `callout:NAME` of the project's Apex, found on first use
    /// ([`Context::callouts`]).
    callouts: std::sync::OnceLock<Vec<Callout>>,
    /// The project's secret values ([`Context::secrets`]).
    secrets: std::sync::OnceLock<crate::redact::Secrets>,
}

/// A `callout:NAME` endpoint in an Apex class or trigger.
pub struct Callout {
    pub file: FileId,
    pub range: std::ops::Range<usize>,
    /// The named credential's API name as written.
    pub name: String,
}

impl<'a> Context<'a> {
    /// A context for `project` and its facts (computed once per analysis).
    pub fn new(project: &'a Project, facts: &'a Facts, as_of: AsOf, lang: Lang) -> Context<'a> {
        Context {
            project,
            facts,
            as_of,
            lang,
            callouts: std::sync::OnceLock::new(),
            secrets: std::sync::OnceLock::new(),
        }
    }

    /// The secret values of the project's files (checked or not), found
    /// on first use.
    pub fn secrets(&self) -> &crate::redact::Secrets {
        self.secrets.get_or_init(|| self.project.secrets())
    }

    /// `s` cut to `max` characters ([`shorten`]), its secret values masked
    /// first when it is cut: a cut through a password repeated in a label
    /// would leave a part of it that no later masking recognises.
    pub fn cut(&self, s: String, max: usize) -> String {
        if s.chars().nth(max).is_none() {
            return s;
        }
        shorten(self.secrets().scrub(&s), max, self.lang)
    }

    /// Every `callout:NAME` of the project's Apex classes and triggers,
    /// collected in one pass over the files (each named credential asks
    /// for its callers: once per credential it was a pass over every
    /// file of the project). Asking is a read of the Apex views, whoever
    /// collected them (see `check`: rules that read Apex are run again
    /// after an Apex edit).
    pub fn callouts(&self) -> &[Callout] {
        crate::apex::note_read();
        self.callouts.get_or_init(|| {
            let mut out = Vec::new();
            for (file, source) in self.project.files.iter().enumerate() {
                let Some(apex) = source.apex_source().filter(|a| a.view().parsed) else {
                    continue;
                };
                for e in apex.endpoints() {
                    if let crate::apex::scan::Target::Callout { name, .. } = &e.target {
                        out.push(Callout {
                            file,
                            range: e.range.clone(),
                            name: name.clone(),
                        });
                    }
                }
            }
            out
        })
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.project.files[id]
    }

    pub fn finding(
        &self,
        rule: &Rule,
        file: FileId,
        range: Range<usize>,
        message: String,
    ) -> Finding {
        Finding {
            rule: rule.id,
            severity: rule.severity(self.as_of),
            file,
            range,
            message: capitalize(self.cut(message, MAX_MESSAGE_CHARS)),
            related: Vec::new(),
            fixable: rule.fixable(),
        }
    }

    /// How messages name a file's object: `named credential "Exchange EWS" (Exchange_EWS)`.
    pub fn object_name(&self, file: FileId) -> String {
        let f = self.file(file);
        let api = f.api_name();
        let label = match f.kind {
            MetadataKind::NamedCredential => NamedCredential::of(f).and_then(|v| v.label()),
            MetadataKind::ExternalCredential => ExternalCredential::of(f).and_then(|v| v.label()),
            MetadataKind::AuthProvider => AuthProvider::of(f).and_then(|v| v.friendly_name()),
            MetadataKind::RemoteSiteSetting => None,
            MetadataKind::CustomMetadata => {
                crate::metadata::custom_metadata::CustomMetadataRecord::of(f)
                    .and_then(|v| v.label())
            }
            _ => None,
        };
        let lang = self.lang;
        let label = label
            .map(|l| l.value.into_owned())
            .filter(|l| !l.is_empty() && l != api)
            .map(|l| self.cut(l, MAX_LABEL_CHARS));
        let kind = match (f.kind, lang) {
            (MetadataKind::NamedCredential, Lang::En) => "named credential",
            (MetadataKind::NamedCredential, Lang::Ja) => "指定ログイン情報",
            (MetadataKind::ExternalCredential, Lang::En) => "external credential",
            (MetadataKind::ExternalCredential, Lang::Ja) => "外部ログイン情報",
            (MetadataKind::AuthProvider, Lang::En) => "auth provider",
            (MetadataKind::AuthProvider, Lang::Ja) => "認証プロバイダー",
            (MetadataKind::RemoteSiteSetting, Lang::En) => "remote site",
            (MetadataKind::RemoteSiteSetting, Lang::Ja) => "リモートサイト",
            (MetadataKind::EmailIntegrationSettings, Lang::En) => {
                return "email integration settings".into()
            }
            (MetadataKind::EmailIntegrationSettings, Lang::Ja) => return "メール連携設定".into(),
            (MetadataKind::EacSettings, Lang::En) => {
                return "Einstein Activity Capture settings".into()
            }
            (MetadataKind::EacSettings, Lang::Ja) => return "Einstein 活動キャプチャ設定".into(),
            (MetadataKind::ApexClass, Lang::En) => "Apex class",
            (MetadataKind::ApexClass, Lang::Ja) => "Apex クラス",
            (MetadataKind::ApexTrigger, Lang::En) => "Apex trigger",
            (MetadataKind::ApexTrigger, Lang::Ja) => "Apex トリガー",
            (MetadataKind::CustomMetadata, Lang::En) => "custom metadata record",
            (MetadataKind::CustomMetadata, Lang::Ja) => "カスタムメタデータレコード",
        };
        match (label, lang) {
            (Some(label), Lang::En) => format!("{kind} \"{label}\" ({api})"),
            (Some(label), Lang::Ja) => format!("{kind}「{label}」({api})"),
            (None, Lang::En) => format!("{kind} \"{api}\""),
            (None, Lang::Ja) => format!("{kind}「{api}」"),
        }
    }

    /// Evidence as related locations with a sentence each.
    pub fn related(&self, evidence: &[Evidence]) -> Vec<Related> {
        let lang = self.lang;
        evidence
            .iter()
            .map(|e| {
                let object = self.object_name(e.loc.file);
                let message = match &e.what {
                    EvidenceKind::ExchangeEndpoint(class) => match class.exchange_online() {
                        Some(cloud) => {
                            let cloud = cloud.display();
                            tr!(
                                lang,
                                "{object} points at {cloud}",
                                "{object} の接続先は {cloud}"
                            )
                        }
                        None => tr!(
                            lang,
                            "{object} points at an on-premises Exchange server",
                            "{object} の接続先はオンプレミスの Exchange サーバー"
                        ),
                    },
                    EvidenceKind::PasswordAuth => tr!(
                        lang,
                        "{object} signs in with a shared user name and password",
                        "{object} は共有のユーザー名とパスワードでサインイン"
                    ),
                    EvidenceKind::SyncEnabled => tr!(
                        lang,
                        "contact and event sync is on",
                        "取引先責任者と行動の同期が有効"
                    ),
                    EvidenceKind::EacDisabled => tr!(
                        lang,
                        "Einstein Activity Capture is off",
                        "Einstein 活動キャプチャは無効"
                    ),
                };
                Related {
                    file: e.loc.file,
                    range: e.loc.range.clone(),
                    message: self.cut(message, MAX_MESSAGE_CHARS),
                }
            })
            .collect()
    }
}

/// Labels quoted in messages are cut to this many characters (a 200 MB
/// label, quoted by three findings, made a 629 MB report).
pub const MAX_LABEL_CHARS: usize = 200;
/// Whatever else a message quotes, it is cut to this many characters.
pub const MAX_MESSAGE_CHARS: usize = 4_000;

/// `s` cut to `max` characters, saying how many were cut:
/// `Mail Sync…(+1,234 characters)`.
pub fn shorten(s: String, max: usize, lang: Lang) -> String {
    let Some((cut, _)) = s.char_indices().nth(max) else {
        return s;
    };
    let n = group_digits(s[cut..].chars().count());
    let mut out = s[..cut].to_owned();
    out.push_str(&tr!(lang, "…(+{n} characters)", "…(他 {n} 文字)"));
    out
}

fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A finding's message: the problem in a few words, then what the file
/// says about the object and what to do (`Basic authentication to Exchange
/// Online: named credential "X" (X) sends …`), so that a row cut off after
/// a few words still says what is wrong. The problem names no object.
pub fn headed(lang: Lang, problem: &str, detail: &str) -> String {
    match lang {
        Lang::En => format!("{problem}: {detail}"),
        Lang::Ja => format!("{problem}：{detail}"),
    }
}

/// Messages start with their problem ("basic authentication …" from a
/// shared phrase).
fn capitalize(mut s: String) -> String {
    if let Some(first) = s.chars().next().filter(char::is_ascii_lowercase) {
        s.replace_range(..1, &first.to_ascii_uppercase().to_string());
    }
    s
}
