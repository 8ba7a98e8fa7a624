//! Names carried in the four languages.

use crate::Locale;
use serde::{Deserialize, Serialize};

/// A name in Uzbek (Latin and Cyrillic), Russian and English.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Names {
    /// Uzbek, Latin script.
    pub uz_latn: String,
    /// Uzbek, Cyrillic script.
    pub uz_cyrl: String,
    /// Russian.
    pub ru: String,
    /// English.
    pub en: String,
}

impl Names {
    /// The name in `locale`, falling back to Uzbek (Latin) where it is empty.
    pub fn get(&self, locale: Locale) -> &str {
        let s = match locale {
            Locale::UzLatn => &self.uz_latn,
            Locale::UzCyrl => &self.uz_cyrl,
            Locale::Ru => &self.ru,
            Locale::En => &self.en,
        };
        if s.is_empty() { &self.uz_latn } else { s }
    }

    /// Whether any of the four names contains `needle`, ignoring case and
    /// the apostrophe variants of Uzbek Latin (ʻ ʼ ‘ ’ `).
    pub fn matches(&self, needle: &str) -> bool {
        let needle = fold(needle);
        [&self.uz_latn, &self.uz_cyrl, &self.ru, &self.en]
            .iter()
            .any(|n| fold(n).contains(&needle))
    }
}

/// Lower-cases and folds apostrophe variants so searches match however a
/// person types `Oʻzbekiston`.
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ʻ' | 'ʼ' | '‘' | '’' | '`' | '\'' => '\'',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_ignores_case_and_apostrophes() {
        let n = Names {
            uz_latn: "Qo'qon shahri".into(),
            uz_cyrl: "Қўқон шаҳри".into(),
            ru: "город Коканд".into(),
            en: "Kokand city".into(),
        };
        for q in ["qoʻqon", "QO’QON", "коканд", "қўқон", "kokand"] {
            assert!(n.matches(q), "{q}");
        }
        assert!(!n.matches("andijon"));
        assert_eq!(n.get(Locale::En), "Kokand city");
    }
}
