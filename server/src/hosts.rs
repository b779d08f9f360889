//! Where a URL points: which Microsoft cloud and service, or an on-premises
//! Exchange server (DOMAIN.md, "Telling Exchange Online from on-premises").
//!
//! Metadata URLs are not always valid URLs (`outlook.office365.com/EWS`
//! without a scheme, `{!$Credential...}` formulas), so this is a tolerant
//! split into scheme, host and path rather than a strict URL parser.

use std::fmt;

pub use crate::domain::Cloud;

/// What kind of Microsoft service a host belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MicrosoftService {
    ExchangeOnline,
    Identity,
    Graph,
    /// Another Microsoft 365 service: SharePoint / OneDrive, Teams
    /// incoming webhooks (`*.webhook.office.com`), Office hosts.
    Microsoft365,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HostClass {
    Microsoft(Cloud, MicrosoftService),
    /// Not a Microsoft cloud host, but the path is an Exchange endpoint.
    OnPremisesExchange,
    Other,
}

impl HostClass {
    pub fn exchange_online(self) -> Option<Cloud> {
        match self {
            HostClass::Microsoft(cloud, MicrosoftService::ExchangeOnline) => Some(cloud),
            _ => None,
        }
    }

    pub fn is_exchange(self) -> bool {
        self.exchange_online().is_some() || self == HostClass::OnPremisesExchange
    }
}

/// A URL split into the parts the rules look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlInfo {
    /// Lower-cased scheme, if the value had one.
    pub scheme: Option<String>,
    /// Lower-cased host without port or trailing dot.
    pub host: String,
    /// The path as written (may be empty), without query or fragment.
    pub path: String,
    pub class: HostClass,
}

impl UrlInfo {
    pub fn parse(value: &str) -> Option<UrlInfo> {
        let value = value.trim();
        let (scheme, rest) = match value.split_once("://") {
            Some((s, rest))
                if !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) =>
            {
                (Some(s.to_ascii_lowercase()), rest)
            }
            _ => (None, value),
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        let after = &rest[end..];
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = match host_port.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host_port.split(':').next().unwrap_or(""),
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() || host.contains(['{', '}', '!', ' ', '$']) {
            return None;
        }
        let path_end = after.find(['?', '#']).unwrap_or(after.len());
        let path = after[..path_end].to_owned();
        let class = classify(&host, &path);
        Some(UrlInfo {
            scheme,
            host,
            path,
            class,
        })
    }

    /// `/EWS/…` (any case) — Exchange Web Services.
    pub fn is_ews_path(&self) -> bool {
        let p = self.path.to_ascii_lowercase();
        p == "/ews" || p.starts_with("/ews/")
    }
}

impl fmt::Display for UrlInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.scheme {
            write!(f, "{s}://")?;
        }
        write!(f, "{}{}", self.host, self.path)
    }
}

fn classify(host: &str, path: &str) -> HostClass {
    use Cloud::*;
    use MicrosoftService::*;
    let exact: &[(&str, Cloud, MicrosoftService)] = &[
        ("outlook.office365.com", Commercial, ExchangeOnline),
        ("outlook.office.com", Commercial, ExchangeOnline),
        ("smtp.office365.com", Commercial, ExchangeOnline),
        ("smtp-legacy.office365.com", Commercial, ExchangeOnline),
        ("outlook.office365.us", GccHigh, ExchangeOnline),
        ("outlook-dod.office365.us", Dod, ExchangeOnline),
        ("partner.outlook.cn", China, ExchangeOnline),
        ("login.microsoftonline.com", Commercial, Identity),
        // The US login host serves both GCC High and DoD; GCC High is
        // the more common, and both share token endpoints.
        ("login.microsoftonline.us", GccHigh, Identity),
        ("login.partner.microsoftonline.cn", China, Identity),
        ("login.chinacloudapi.cn", China, Identity),
        ("graph.microsoft.com", Commercial, Graph),
        ("graph.microsoft.us", GccHigh, Graph),
        ("dod-graph.microsoft.us", Dod, Graph),
        ("microsoftgraph.chinacloudapi.cn", China, Graph),
    ];
    if let Some((_, cloud, service)) = exact.iter().find(|(h, _, _)| *h == host) {
        return HostClass::Microsoft(*cloud, *service);
    }
    if host.ends_with(".outlook.com") {
        return HostClass::Microsoft(Commercial, ExchangeOnline);
    }
    // Other Microsoft 365 hosts of the four clouds, by domain suffix (a
    // label boundary, so `notsharepoint.com` is not one).
    let suffixes: &[(&str, Cloud)] = &[
        ("sharepoint.com", Commercial),
        ("sharepoint-df.com", Commercial),
        ("webhook.office.com", Commercial),
        ("office.com", Commercial),
        ("office365.com", Commercial),
        ("office.net", Commercial),
        ("microsoftonline.com", Commercial),
        ("onmicrosoft.com", Commercial),
        ("sharepoint.us", GccHigh),
        ("office365.us", GccHigh),
        ("microsoftonline.us", GccHigh),
        ("sharepoint.cn", China),
        ("partner.outlook.cn", China),
        ("partner.microsoftonline.cn", China),
    ];
    for (suffix, cloud) in suffixes {
        let under = host
            .strip_suffix(suffix)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'));
        if under {
            return HostClass::Microsoft(*cloud, Microsoft365);
        }
    }
    let p = path.to_ascii_lowercase();
    if p == "/ews"
        || p.starts_with("/ews/")
        || p.starts_with("/microsoft-server-activesync")
        || p.starts_with("/autodiscover/")
        || p == "/autodiscover"
    {
        return HostClass::OnPremisesExchange;
    }
    HostClass::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_hosts() {
        let cases = [
            (
                "https://outlook.office365.com/EWS/Exchange.asmx",
                HostClass::Microsoft(Cloud::Commercial, MicrosoftService::ExchangeOnline),
            ),
            (
                "HTTPS://Outlook.Office365.COM:443/ews/exchange.asmx?x=1",
                HostClass::Microsoft(Cloud::Commercial, MicrosoftService::ExchangeOnline),
            ),
            (
                "https://autodiscover-s.outlook.com/autodiscover/autodiscover.xml",
                HostClass::Microsoft(Cloud::Commercial, MicrosoftService::ExchangeOnline),
            ),
            (
                "https://contoso-com.mail.protection.outlook.com",
                HostClass::Microsoft(Cloud::Commercial, MicrosoftService::ExchangeOnline),
            ),
            (
                "outlook.office365.us/EWS",
                HostClass::Microsoft(Cloud::GccHigh, MicrosoftService::ExchangeOnline),
            ),
            (
                "https://outlook-dod.office365.us",
                HostClass::Microsoft(Cloud::Dod, MicrosoftService::ExchangeOnline),
            ),
            (
                "https://partner.outlook.cn/EWS/Exchange.asmx",
                HostClass::Microsoft(Cloud::China, MicrosoftService::ExchangeOnline),
            ),
            (
                "https://login.microsoftonline.com/x",
                HostClass::Microsoft(Cloud::Commercial, MicrosoftService::Identity),
            ),
            (
                "https://graph.microsoft.com",
                HostClass::Microsoft(Cloud::Commercial, MicrosoftService::Graph),
            ),
            (
                "https://mail.contoso.com/EWS/Exchange.asmx",
                HostClass::OnPremisesExchange,
            ),
            (
                "https://mail.contoso.com/Microsoft-Server-ActiveSync",
                HostClass::OnPremisesExchange,
            ),
            (
                "https://mail.contoso.com/autodiscover/autodiscover.xml",
                HostClass::OnPremisesExchange,
            ),
            ("https://mail.contoso.com/", HostClass::Other),
            (
                "https://outlook.com.evil.example/EWS/x",
                HostClass::OnPremisesExchange,
            ),
            ("https://api.example.com/v1", HostClass::Other),
            (
                "https://contoso.sharepoint.com/sites/sales",
                HostClass::Microsoft(Cloud::Commercial, MicrosoftService::Microsoft365),
            ),
            (
                "https://contoso.webhook.office.com/webhookb2/x",
                HostClass::Microsoft(Cloud::Commercial, MicrosoftService::Microsoft365),
            ),
            (
                "https://contoso.sharepoint.us",
                HostClass::Microsoft(Cloud::GccHigh, MicrosoftService::Microsoft365),
            ),
            (
                "https://contoso.sharepoint.cn",
                HostClass::Microsoft(Cloud::China, MicrosoftService::Microsoft365),
            ),
            ("https://notsharepoint.com/x", HostClass::Other),
            // Names never count: a currency service called "exchange".
            ("https://api.exchangerate.host/latest", HostClass::Other),
            ("https://v6.exchangerate-api.com/v6", HostClass::Other),
        ];
        for (url, class) in cases {
            assert_eq!(UrlInfo::parse(url).unwrap().class, class, "{url}");
        }
        assert!(UrlInfo::parse("{!$Credential.Url}").is_none());
        assert!(UrlInfo::parse("").is_none());
    }
}
