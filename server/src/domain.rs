//! The domain's vocabulary: where an org's mailboxes are and how Lightning
//! Sync connects (DOMAIN.md). Configuration, facts, rules and fixes speak
//! these words; nothing here knows how they are read or stored.

/// A sovereign Microsoft 365 cloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cloud {
    /// Worldwide (commercial) and GCC.
    Commercial,
    GccHigh,
    Dod,
    /// Operated by 21Vianet.
    China,
}

impl Cloud {
    pub const ALL: [Cloud; 4] = [Cloud::Commercial, Cloud::GccHigh, Cloud::Dod, Cloud::China];

    /// The EWS/Exchange Online host used for scopes.
    pub fn exchange_host(self) -> &'static str {
        match self {
            Cloud::Commercial => "outlook.office365.com",
            Cloud::GccHigh => "outlook.office365.us",
            Cloud::Dod => "outlook-dod.office365.us",
            Cloud::China => "partner.outlook.cn",
        }
    }

    /// The Microsoft Entra ID (token) host.
    pub fn login_host(self) -> &'static str {
        match self {
            Cloud::Commercial => "login.microsoftonline.com",
            Cloud::GccHigh | Cloud::Dod => "login.microsoftonline.us",
            Cloud::China => "login.partner.microsoftonline.cn",
        }
    }

    pub fn graph_host(self) -> &'static str {
        match self {
            Cloud::Commercial => "graph.microsoft.com",
            Cloud::GccHigh => "graph.microsoft.us",
            Cloud::Dod => "dod-graph.microsoft.us",
            Cloud::China => "microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The config value (`exchange: online…`).
    pub fn config_value(self) -> &'static str {
        match self {
            Cloud::Commercial => "online",
            Cloud::GccHigh => "online-gcc-high",
            Cloud::Dod => "online-dod",
            Cloud::China => "online-china",
        }
    }

    pub fn display(self) -> &'static str {
        match self {
            Cloud::Commercial => "Exchange Online",
            Cloud::GccHigh => "Exchange Online (GCC High)",
            Cloud::Dod => "Exchange Online (DoD)",
            Cloud::China => "Exchange Online (operated by 21Vianet)",
        }
    }
}

/// Where the org's mailboxes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Exchange {
    Online(Cloud),
    OnPremises,
    /// Not on Exchange at all (Google Workspace): declared `none`.
    NotExchange,
}

impl Exchange {
    pub const VALUES: [&'static str; 6] = [
        "online",
        "online-gcc-high",
        "online-dod",
        "online-china",
        "on-premises",
        "none",
    ];

    pub fn parse(s: &str) -> Option<Exchange> {
        if s == "on-premises" {
            return Some(Exchange::OnPremises);
        }
        if s == "none" {
            return Some(Exchange::NotExchange);
        }
        Cloud::ALL
            .into_iter()
            .find(|c| c.config_value() == s)
            .map(Exchange::Online)
    }

    pub fn config_value(self) -> &'static str {
        match self {
            Exchange::Online(cloud) => cloud.config_value(),
            Exchange::OnPremises => "on-premises",
            Exchange::NotExchange => "none",
        }
    }
}

/// Lightning Sync's connection method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LsConnection {
    ServiceAccount,
    OAuth2,
}

impl LsConnection {
    pub const VALUES: [&'static str; 2] = ["service-account", "oauth2"];

    pub fn parse(s: &str) -> Option<LsConnection> {
        match s {
            "service-account" => Some(LsConnection::ServiceAccount),
            "oauth2" => Some(LsConnection::OAuth2),
            _ => None,
        }
    }

    pub fn config_value(self) -> &'static str {
        match self {
            LsConnection::ServiceAccount => "service-account",
            LsConnection::OAuth2 => "oauth2",
        }
    }
}
