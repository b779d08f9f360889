//! Project facts (RULES.md): what the whole project says about sync,
//! Exchange and credentials, derived once from every file's view.

use crate::domain::{Exchange, LsConnection};
use crate::hosts::{HostClass, UrlInfo};
use crate::metadata::{
    EacSettings, EmailIntegrationSettings, ExternalCredential, Field, NamedCredential,
    RemoteSiteSetting,
};
use crate::project::Project;
use crate::source::FileId;
use std::collections::HashMap;
use std::ops::Range;

/// A place in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loc {
    pub file: FileId,
    pub range: Range<usize>,
}

/// Evidence for an inferred fact: where, and what it shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    pub loc: Loc,
    pub what: EvidenceKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidenceKind {
    ExchangeEndpoint(HostClass),
    PasswordAuth,
    SyncEnabled,
    EacDisabled,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Known<T> {
    Declared(T),
    Inferred(T, Vec<Evidence>),
}

impl<T: Copy> Known<T> {
    pub fn value(&self) -> T {
        match self {
            Known::Declared(v) | Known::Inferred(v, _) => *v,
        }
    }

    pub fn evidence(&self) -> &[Evidence] {
        match self {
            Known::Declared(_) => &[],
            Known::Inferred(_, e) => e,
        }
    }
}

/// How a named credential authenticates, after following its external
/// credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Auth {
    /// A password is sent (legacy `protocol` Password, external credential
    /// Basic/Password, or a Custom `Basic` header). `evidence` is the
    /// element that says so.
    Password {
        evidence: Loc,
        named_principal: bool,
        external: Option<FileId>,
    },
    Other,
}

/// A named credential with its endpoint and authentication resolved.
#[derive(Clone, Debug)]
pub struct Credential {
    pub file: FileId,
    /// The URL element (`endpoint`, or the `Url` parameter's value).
    pub url: Option<(Loc, UrlInfo)>,
    pub auth: Auth,
}

#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// `enableContactAndEventSync` elements that are true.
    pub sync_on: Vec<Loc>,
    /// `enableActivityCapture` elements that are true.
    pub eac_on: Vec<Loc>,
    /// Whether any EAC settings file has an `enableActivityCapture`
    /// element at all: without one the project does not tell whether EAC
    /// is on (unknown, not off).
    pub eac_stated: bool,
    /// `enableGmailIntegration` elements that are true.
    pub gmail_on: Vec<Loc>,
    /// Elements that say Outlook / Microsoft 365 mail is in use:
    /// `enableOutlookIntegration`, `enableInboxUseGraphApi` or
    /// `enableEngageForOutlook` true.
    pub outlook_on: Vec<Loc>,
    /// Some credential or remote site points at a mailbox service: an
    /// Exchange Online host or an on-premises Exchange endpoint. Microsoft
    /// sign-in (`login.microsoftonline.com`), Graph, SharePoint and Teams
    /// do not count: a Google-mail org often signs its staff in with Entra
    /// ID or posts to Teams, and that says nothing about its mailboxes.
    pub mail_endpoints: bool,
    pub exchange: Option<Known<Exchange>>,
    pub ls_connection: Option<Known<LsConnection>>,
    pub credentials: Vec<Credential>,
    /// External credential API name → the file that defines it.
    pub external_credentials: HashMap<String, FileId>,
}

/// Which mail system the project says the org uses (RULES.md, "Changes of
/// 2026-12-01": `EmailIntegrationSettings` and the endpoints).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailSystem {
    /// Gmail on, nothing Microsoft (Outlook off, no Exchange endpoint, no
    /// Exchange declared), or declared `exchange: none`.
    GoogleOnly,
    /// Gmail on, and Outlook or an Exchange endpoint too.
    Both,
    /// Outlook on or an Exchange endpoint, Gmail not on.
    Microsoft,
    /// The project says nothing either way.
    Unknown,
}

/// Whether Einstein Activity Capture is on, as far as the project says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EacState {
    On,
    Off,
    /// No EAC settings file, or one without `enableActivityCapture`.
    Unknown,
}

impl Facts {
    /// Contact and event sync is on and EAC is not known to be on: sync
    /// runs on Lightning Sync, or (when [`EacState::Unknown`]) may.
    pub fn lightning_sync_in_use(&self) -> bool {
        !self.sync_on.is_empty() && self.eac_on.is_empty()
    }

    /// [`Facts::lightning_sync_in_use`] where Exchange may be the mail
    /// system: what the LS rules report on.
    pub fn lightning_sync_with_exchange(&self) -> bool {
        self.lightning_sync_in_use() && self.exchange_in_play()
    }

    pub fn eac_state(&self) -> EacState {
        if !self.eac_on.is_empty() {
            EacState::On
        } else if self.eac_stated {
            EacState::Off
        } else {
            EacState::Unknown
        }
    }

    pub fn mail_system(&self) -> MailSystem {
        let declared = self.exchange.as_ref().and_then(|e| match e {
            Known::Declared(v) => Some(*v),
            Known::Inferred(..) => None,
        });
        if declared == Some(Exchange::NotExchange) {
            return MailSystem::GoogleOnly;
        }
        let gmail = !self.gmail_on.is_empty();
        let microsoft =
            !self.outlook_on.is_empty() || self.mail_endpoints || self.exchange.is_some();
        match (gmail, microsoft) {
            (true, false) => MailSystem::GoogleOnly,
            (true, true) => MailSystem::Both,
            (false, true) => MailSystem::Microsoft,
            (false, false) => MailSystem::Unknown,
        }
    }

    /// False only when the project says the mail system is Google only:
    /// then no Exchange finding is made about sync or EAC.
    pub fn exchange_in_play(&self) -> bool {
        self.mail_system() != MailSystem::GoogleOnly
    }

    pub fn compute(project: &Project) -> Facts {
        let mut facts = Facts::default();
        let files = &project.files;
        for (id, file) in files.iter().enumerate() {
            if ExternalCredential::of(file).is_some() {
                facts
                    .external_credentials
                    .insert(file.api_name().to_owned(), id);
            }
            let loc = |f: Field<'_>| Loc {
                file: id,
                range: f.range,
            };
            if let Some(s) = EmailIntegrationSettings::of(file) {
                facts.sync_on.extend(
                    s.enable_contact_and_event_sync()
                        .filter(Field::is_true)
                        .map(loc),
                );
                facts
                    .gmail_on
                    .extend(s.enable_gmail_integration().filter(Field::is_true).map(loc));
                for f in [
                    s.enable_outlook_integration(),
                    s.enable_inbox_use_graph_api(),
                    s.enable_engage_for_outlook(),
                ] {
                    facts.outlook_on.extend(f.filter(Field::is_true).map(loc));
                }
            }
            if let Some(s) = EacSettings::of(file) {
                let flag = s.enable_activity_capture();
                facts.eac_stated |= flag.is_some();
                facts.eac_on.extend(flag.filter(Field::is_true).map(loc));
            }
        }
        for (id, file) in files.iter().enumerate() {
            if let Some(nc) = NamedCredential::of(file) {
                facts.credentials.push(resolve_credential(
                    project,
                    &facts.external_credentials,
                    id,
                    nc,
                ));
            }
        }

        let config = &project.manifest.config;
        let inferred = infer_exchange(project, &mut facts);
        facts.exchange = match config.exchange {
            Some(e) => Some(Known::Declared(e)),
            None => inferred,
        };
        facts.ls_connection = match config.ls_connection {
            Some(c) => Some(Known::Declared(c)),
            None => {
                let evidence: Vec<Evidence> = facts
                    .credentials
                    .iter()
                    .filter_map(|c| match (&c.url, &c.auth) {
                        (
                            Some((url_loc, url)),
                            Auth::Password {
                                evidence,
                                named_principal: true,
                                ..
                            },
                        ) if url.class.is_exchange() => Some([
                            Evidence {
                                loc: evidence.clone(),
                                what: EvidenceKind::PasswordAuth,
                            },
                            Evidence {
                                loc: url_loc.clone(),
                                what: EvidenceKind::ExchangeEndpoint(url.class),
                            },
                        ]),
                        _ => None,
                    })
                    .flatten()
                    .collect();
                (!evidence.is_empty())
                    .then_some(Known::Inferred(LsConnection::ServiceAccount, evidence))
            }
        };
        facts
    }

    /// Which credentials reference the external credential in `file`.
    pub fn referencing(&self, external: FileId) -> impl Iterator<Item = &Credential> {
        self.credentials.iter().filter(
            move |c| matches!(c.auth, Auth::Password { external: Some(e), .. } if e == external),
        )
    }
}

fn resolve_credential(
    project: &Project,
    ecs: &HashMap<String, FileId>,
    id: FileId,
    nc: NamedCredential<'_>,
) -> Credential {
    let url = nc.url().and_then(|f| {
        UrlInfo::parse(&f.value).map(|info| {
            (
                Loc {
                    file: id,
                    range: f.range.clone(),
                },
                info,
            )
        })
    });
    let mut auth = Auth::Other;
    if nc.is_legacy() {
        if let Some(p) = nc.protocol().filter(|p| p.is("Password")) {
            // Legacy principalType defaults to a single named identity.
            let named = nc.principal_type().is_none_or(|t| t.is("NamedUser"));
            auth = Auth::Password {
                evidence: Loc {
                    file: id,
                    range: p.range,
                },
                named_principal: named,
                external: None,
            };
        }
    }
    if matches!(auth, Auth::Other) {
        for ec_ref in nc.external_credentials() {
            let Some(&ec_id) = ecs.get(ec_ref.value.as_ref()) else {
                continue;
            };
            let Some(ec) = ExternalCredential::of(&project.files[ec_id]) else {
                continue;
            };
            if let Some(evidence) = password_evidence(&ec) {
                let named = ec.has_named_principal() || !ec.has_per_user_principal();
                auth = Auth::Password {
                    evidence: Loc {
                        file: ec_id,
                        range: evidence,
                    },
                    named_principal: named,
                    external: Some(ec_id),
                };
                break;
            }
        }
    }
    Credential {
        file: id,
        url,
        auth,
    }
}

/// The element showing that an external credential sends a password:
/// `authenticationProtocol` Basic/Password, or Custom with a basic
/// `AuthHeader` (then the protocol element too: that is what a fix edits).
pub fn password_evidence(ec: &ExternalCredential<'_>) -> Option<Range<usize>> {
    let protocol = ec.authentication_protocol()?;
    if protocol.is("Basic") || protocol.is("Password") {
        return Some(protocol.range);
    }
    if protocol.is("Custom") && !ec.basic_auth_headers().is_empty() {
        return Some(protocol.range);
    }
    None
}

fn infer_exchange(project: &Project, facts: &mut Facts) -> Option<Known<Exchange>> {
    let credentials = &facts.credentials;
    let mut endpoints: Vec<(Loc, HostClass)> = credentials
        .iter()
        .filter_map(|c| c.url.as_ref().map(|(loc, info)| (loc.clone(), info.class)))
        .collect();
    for (id, file) in project.files.iter().enumerate() {
        if let Some(site) = RemoteSiteSetting::of(file) {
            if let Some(url) = site.url() {
                if let Some(info) = UrlInfo::parse(&url.value) {
                    endpoints.push((
                        Loc {
                            file: id,
                            range: url.range,
                        },
                        info.class,
                    ));
                }
            }
        }
    }
    // Custom metadata records: integrations keep their endpoints there.
    for (id, file) in project.files.iter().enumerate() {
        if let Some(record) = crate::metadata::custom_metadata::CustomMetadataRecord::of(file) {
            for (_, range, info) in record.urls() {
                endpoints.push((Loc { file: id, range }, info.class));
            }
        }
    }
    facts.mail_endpoints = endpoints.iter().any(|(_, c)| c.is_exchange());
    let online: Vec<&(Loc, HostClass)> = endpoints
        .iter()
        .filter(|(_, c)| c.exchange_online().is_some())
        .collect();
    if let Some((_, class)) = online.first() {
        let cloud = class.exchange_online().expect("filtered");
        let evidence = online
            .iter()
            .filter(|(_, c)| c.exchange_online() == Some(cloud))
            .map(|(loc, c)| Evidence {
                loc: loc.clone(),
                what: EvidenceKind::ExchangeEndpoint(*c),
            })
            .collect();
        return Some(Known::Inferred(Exchange::Online(cloud), evidence));
    }
    let on_prem: Vec<Evidence> = endpoints
        .iter()
        .filter(|(_, c)| *c == HostClass::OnPremisesExchange)
        .map(|(loc, c)| Evidence {
            loc: loc.clone(),
            what: EvidenceKind::ExchangeEndpoint(*c),
        })
        .collect();
    (!on_prem.is_empty()).then_some(Known::Inferred(Exchange::OnPremises, on_prem))
}
