//! Dated events the advice depends on (DOMAIN.md, "What changed since that
//! article"), and the as-of date that decides tense, severity upgrades and
//! which alternatives are still worth offering.

use crate::i18n::Lang;
use jiff::civil::Date;
use std::fmt;

#[derive(Clone, Copy, Debug)]
pub struct Event {
    /// The first day the event is in effect. For "end of month" events this
    /// is the first day of the following month.
    pub date: Date,
    /// How the date is said to a person ("2022-10-01", "end of August 2026").
    pub when_en: &'static str,
    pub when_ja: &'static str,
    pub what_en: &'static str,
    pub what_ja: &'static str,
    pub source: &'static str,
}

impl Event {
    pub fn when(&self, lang: Lang) -> &'static str {
        lang.pick(self.when_en, self.when_ja)
    }

    pub fn what(&self, lang: Lang) -> &'static str {
        lang.pick(self.what_en, self.what_ja)
    }
}

macro_rules! events {
    ($($name:ident: ($y:literal, $m:literal, $d:literal), $when_en:literal, $when_ja:literal, $what_en:literal, $what_ja:literal, $source:literal;)*) => {
        $(pub const $name: Event = Event {
            date: jiff::civil::date($y, $m, $d),
            when_en: $when_en,
            when_ja: $when_ja,
            what_en: $what_en,
            what_ja: $what_ja,
            source: $source,
        };)*
        /// Every event, in date order.
        pub const ALL: &[Event] = &[$($name),*];
    };
}

events! {
    BASIC_AUTH_BLOCKED: (2022, 10, 1), "2022-10-01", "2022年10月1日",
        "Exchange Online blocks basic authentication for EWS, EAS, POP, IMAP, Remote PowerShell, MAPI and OAB",
        "Exchange Online が EWS・EAS・POP・IMAP・リモート PowerShell・MAPI・OAB の基本認証を停止",
        "Microsoft Learn, \"Deprecation of Basic authentication in Exchange Online\" (MC424238)";
    BASIC_AUTH_LAST_REENABLE: (2022, 12, 31), "2022-12-31", "2022年12月31日",
        "last day basic authentication could be re-enabled on a tenant",
        "テナントで基本認証を再有効化できた最終日",
        "Microsoft Learn, \"Deprecation of Basic authentication in Exchange Online\" (MC424238)";
    EXCHANGE_2013_EOS: (2023, 4, 11), "2023-04-11", "2023年4月11日",
        "Exchange Server 2013 end of support",
        "Exchange Server 2013 のサポート終了",
        "Microsoft Lifecycle";
    ACS_NEW_TENANTS: (2024, 11, 1), "2024-11-01", "2024年11月1日",
        "Azure ACS no longer available to new Microsoft 365 tenants",
        "新規 Microsoft 365 テナントで Azure ACS が利用不可に",
        "Microsoft 365 message center MC693863";
    EAC_SERVICE_ACCOUNT_RETIRED: (2025, 2, 1), "2025-02-01", "2025年2月1日",
        "Einstein Activity Capture service-account OAuth to Office 365 retired",
        "Einstein 活動キャプチャのサービスアカウント OAuth（Office 365 向け）が廃止",
        "Salesforce Knowledge Article 002420794";
    APPLICATION_IMPERSONATION_REMOVED: (2025, 2, 1), "February 2025", "2025年2月",
        "Exchange Online removes the ApplicationImpersonation role (no longer assignable since September 2024): service-account designs that impersonate mailboxes over EWS stop working",
        "Exchange Online が ApplicationImpersonation ロールを削除（2024年9月から割り当て不可）。EWS でメールボックスを偽装するサービスアカウント方式は動作しなくなる",
        "Microsoft 365 message center MC718754; Microsoft Tech Community 4062671";
    EXCHANGE_2016_2019_EOS: (2025, 10, 14), "2025-10-14", "2025年10月14日",
        "Exchange Server 2016 and 2019 end of support (Exchange Server SE succeeds them)",
        "Exchange Server 2016・2019 のサポート終了（後継は Exchange Server SE）",
        "Microsoft Lifecycle; Microsoft Tech Community 4453133";
    ADMIN_CONSENT_REQUIRED: (2025, 11, 1), "end of October 2025", "2025年10月末",
        "admin consent required for third-party apps that read Exchange content (Microsoft Graph, EWS, EAS, POP, IMAP): user consent alone no longer works",
        "Exchange のコンテンツにアクセスするサードパーティ製アプリ（Microsoft Graph・EWS・EAS・POP・IMAP）に管理者の同意が必要に。ユーザーの同意だけでは動作しない",
        "Microsoft 365 message center MC1163922";
    ACS_RETIRED: (2026, 4, 2), "2026-04-02", "2026年4月2日",
        "Azure ACS retired for all tenants, no extension",
        "Azure ACS が全テナントで廃止（延長なし）",
        "Microsoft 365 message center MC693863";
    EWS_ALLOWED_APP_IDS: (2026, 6, 19), "2026-06-19", "2026年6月19日",
        "EWSAllowedAppIDs released: a tenant allow list of Entra app ids that may still use EWS (with EWSEnabled set to True)",
        "EWSAllowedAppIDs を提供開始。EWS の利用を許可する Entra アプリ ID のテナント許可リスト（EWSEnabled を True にして使用）",
        "Microsoft Tech Community 4529471";
    EWS_KIOSK_FRONTLINE_BLOCKED: (2026, 6, 30), "2026-06-30", "2026年6月30日",
        "EWS blocked for mailboxes licensed only with Exchange Online Kiosk or Microsoft 365 / Office 365 F1 or F3 (HTTP 403)",
        "Exchange Online Kiosk、Microsoft 365 / Office 365 F1・F3 のライセンスのみのメールボックスで EWS がブロック（HTTP 403）",
        "Microsoft 365 message center MC1191578";
    LS_EXO_MOVE_DEADLINE: (2026, 9, 1), "end of August 2026", "2026年8月末",
        "Lightning Sync customers on Exchange Online must have moved to Einstein Activity Capture with Microsoft Graph",
        "Exchange Online で Lightning Sync を使う組織は、Microsoft Graph を使う Einstein 活動キャプチャへの移行が必要",
        "Salesforce Help, \"Considerations for Moving from Lightning Sync\" (sales.lightning_sync_move_consider), sales.eac_graph_migration";
    EWS_BLOCKED_BY_DEFAULT: (2026, 10, 1), "2026-10-01", "2026年10月1日",
        "EWS in Exchange Online blocked by default: only apps a tenant admin put on the EWSAllowedAppIDs allow list (with EWSEnabled set to True) keep working",
        "Exchange Online の EWS が既定でブロック。テナント管理者が EWSAllowedAppIDs の許可リストに登録したアプリ（EWSEnabled が True）のみ動作",
        "Microsoft 365 message center MC1227454; Microsoft Tech Community 4492361";
    SMTP_AUTH_DEFAULT_OFF: (2027, 1, 1), "end of December 2026", "2026年12月末",
        "SMTP AUTH basic authentication disabled by default for existing Exchange Online tenants (admins can still turn it back on; the final removal date is announced in the second half of 2027)",
        "既存の Exchange Online テナントで SMTP AUTH の基本認証が既定で無効化（管理者は再び有効化できる。最終的な廃止日は 2027年後半に発表）",
        "Microsoft Tech Community 4489835";
    EWS_SHUTDOWN: (2027, 4, 1), "2027-04-01", "2027年4月1日",
        "EWS in Exchange Online permanently shut down, for every app (the allow list stops mattering)",
        "Exchange Online の EWS がすべてのアプリで完全に停止（許可リストも無効）",
        "Microsoft 365 message center MC1227454; Microsoft Tech Community 4492361";
    LIGHTNING_SYNC_RETIRED: (2027, 4, 1), "April 2027", "2027年4月",
        "Lightning Sync retired for everyone (Google and on-premises Exchange too; Government Cloud exempt)",
        "Lightning Sync がすべての組織で廃止（Google・オンプレミス Exchange も対象、Government Cloud は除外）",
        "Salesforce Help, \"Lightning Sync System Requirements\" (sales.exchange_sync_sys_req)";
}

/// The date the advice is given for (default: today, UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AsOf(pub Date);

impl AsOf {
    pub fn today() -> AsOf {
        AsOf(
            jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date(),
        )
    }

    /// Accepts `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<AsOf, String> {
        let s = s.trim();
        let valid_shape = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
        match s.parse::<Date>() {
            Ok(d) if valid_shape => Ok(AsOf(d)),
            _ => Err(format!("invalid date `{s}`: expected YYYY-MM-DD")),
        }
    }

    /// Whether `event` is in effect on the as-of date.
    pub fn reached(self, event: &Event) -> bool {
        self.0 >= event.date
    }
}

impl fmt::Display for AsOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_in_date_order() {
        assert!(ALL.windows(2).all(|w| w[0].date <= w[1].date));
    }

    #[test]
    fn parses_as_of() {
        assert_eq!(
            AsOf::parse("2026-09-01").unwrap().0,
            jiff::civil::date(2026, 9, 1)
        );
        assert!(AsOf::parse("2026-9-1").is_err());
        assert!(AsOf::parse("2026-02-30").is_err());
        assert!(AsOf::parse("today").is_err());
        let as_of = AsOf::parse("2026-08-31").unwrap();
        assert!(!as_of.reached(&LS_EXO_MOVE_DEADLINE));
        assert!(AsOf::parse("2026-09-01")
            .unwrap()
            .reached(&LS_EXO_MOVE_DEADLINE));
    }
}
