//! The two languages of every user-facing string: English, and Japanese
//! for the admins the seed article was written for.

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    /// `ja`, `ja_JP.UTF-8`, `ja-JP` → Japanese; anything else English.
    pub fn from_locale(locale: &str) -> Lang {
        let l = locale.trim().to_ascii_lowercase();
        if l == "ja" || l.starts_with("ja_") || l.starts_with("ja-") || l.starts_with("ja.") {
            Lang::Ja
        } else {
            Lang::En
        }
    }

    /// From `LC_ALL`, `LC_MESSAGES`, `LANG` (POSIX precedence).
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| Lang::from_locale(&v))
    }

    pub fn pick<T>(self, en: T, ja: T) -> T {
        match self {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }
}

/// `tr!(lang, "English {x}", "日本語 {x}")`: one `format!` per language.
/// Arguments after the two strings are passed to both (`"{} files"`).
#[macro_export]
macro_rules! tr {
    ($lang:expr, $en:literal, $ja:literal $(, $arg:expr)* $(,)?) => {
        match $lang {
            $crate::i18n::Lang::En => format!($en $(, $arg)*),
            $crate::i18n::Lang::Ja => format!($ja $(, $arg)*),
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales() {
        assert_eq!(Lang::from_locale("ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(Lang::from_locale("ja"), Lang::Ja);
        assert_eq!(Lang::from_locale("en-US"), Lang::En);
        assert_eq!(Lang::from_locale("jav"), Lang::En);
    }
}
