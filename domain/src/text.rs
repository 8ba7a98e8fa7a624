//! Messages for people: a key with typed parameters, rendered in the
//! reader's language at the edge (a page, a server function's error, the
//! JSON API's problem document, an e-mail, an import report).
//!
//! Why a typed enum and not Fluent or rust-i18n (docs/notes/i18n-survey.md
//! §3): the parameters are Rust types (a number is rendered with the
//! reader's decimal mark, a date in words, a count with the right plural
//! form), a missing language is a compile error (every `say!` names all
//! four), and nothing is parsed at run time. Stored and transmitted
//! messages are the serde form (`{"key":"not_found","what":"campaign",…}`)
//! and are rendered when read, in whoever reads them's language.

use serde::{Deserialize, Serialize};

use crate::Locale;

/// Formats one text per language; every arm is a `format!` literal, so the
/// parameters are the locals in scope and all four languages are required.
macro_rules! say {
    ($l:expr; $uz:literal, $cy:literal, $ru:literal, $en:literal $(,)?) => {
        match $l {
            Locale::UzLatn => format!($uz),
            Locale::UzCyrl => format!($cy),
            Locale::Ru => format!($ru),
            Locale::En => format!($en),
        }
    };
}

/// A kind of thing a message names (`Not found: campaign «2025»`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Noun {
    /// A rating round.
    Campaign,
    /// A rated body, region or district.
    Entity,
    /// A region.
    Region,
    /// One entity's answers in a round.
    Submission,
    /// An appeal against a published result.
    Appeal,
    /// A review comment.
    Comment,
    /// An evidence item.
    Evidence,
    /// A stored evidence file.
    EvidenceFile,
    /// A role grant.
    Grant,
    /// A user account.
    User,
    /// An API token.
    Token,
    /// A methodology version.
    MethodologyVersion,
    /// A proposed methodology change.
    MethodologyProposal,
    /// A published rating revision.
    RatingSnapshot,
    /// An uploaded workbook.
    Upload,
    /// An indicator.
    Indicator,
    /// A page or file of the site.
    Page,
}

impl Noun {
    /// The noun in `l`, in the form that follows "not found:".
    pub fn name(self, l: Locale) -> &'static str {
        let [uz, cy, ru, en] = match self {
            Noun::Campaign => [
                "reyting davri",
                "рейтинг даври",
                "рейтинговый период",
                "campaign",
            ],
            Noun::Entity => ["tashkilot", "ташкилот", "организация", "entity"],
            Noun::Region => ["hudud", "ҳудуд", "регион", "region"],
            Noun::Submission => ["hisobot", "ҳисобот", "отчёт", "submission"],
            Noun::Appeal => ["apellyatsiya", "апелляция", "апелляция", "appeal"],
            Noun::Comment => ["izoh", "изоҳ", "комментарий", "comment"],
            Noun::Evidence => ["dalil", "далил", "подтверждение", "evidence"],
            Noun::EvidenceFile => [
                "dalil fayli",
                "далил файли",
                "файл подтверждения",
                "evidence file",
            ],
            Noun::Grant => ["rol", "рол", "роль", "role grant"],
            Noun::User => ["foydalanuvchi", "фойдаланувчи", "пользователь", "user"],
            Noun::Token => ["API kaliti", "API калити", "API-токен", "API token"],
            Noun::MethodologyVersion => [
                "metodika versiyasi",
                "методика версияси",
                "версия методики",
                "methodology version",
            ],
            Noun::MethodologyProposal => [
                "metodika oʻzgarishi taklifi",
                "методика ўзгариши таклифи",
                "предложение изменения методики",
                "methodology proposal",
            ],
            Noun::RatingSnapshot => [
                "eʼlon qilingan reyting",
                "эълон қилинган рейтинг",
                "опубликованный рейтинг",
                "published rating",
            ],
            Noun::Upload => [
                "yuklangan fayl",
                "юкланган файл",
                "загруженный файл",
                "upload",
            ],
            Noun::Indicator => ["koʻrsatkich", "кўрсаткич", "показатель", "indicator"],
            Noun::Page => ["sahifa", "саҳифа", "страница", "page"],
        };
        pick(l, [uz, cy, ru, en])
    }
}

fn pick<T>(l: Locale, [uz, cy, ru, en]: [T; 4]) -> T {
    match l {
        Locale::UzLatn => uz,
        Locale::UzCyrl => cy,
        Locale::Ru => ru,
        Locale::En => en,
    }
}

/// A message for a person. Each variant is one text in four languages; its
/// fields are what the text names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum Msg {
    /// English text from a place not yet given its own key. Shown as it is
    /// in every language; the language sweep of the browser suite finds
    /// what is left.
    Text {
        /// The English text.
        text: String,
    },
    /// No answer came from the server (the browser met this itself).
    NoAnswer,
    /// Signing in is required.
    SignInRequired,
    /// Sign-in failed (says nothing about whether the account exists).
    BadCredentials,
    /// Someone else saved between reading and writing.
    SavedFirst,
    /// A failure inside the server, logged for the operator.
    Internal,
    /// Too many requests from this address; try again after `secs`.
    TooManyRequests {
        /// Seconds until the next request is accepted.
        secs: u64,
    },
    /// A request argument is missing or malformed.
    BadArgument {
        /// The argument's name, when the decoder named it.
        field: Option<String>,
    },
    /// Something does not exist (or is hidden from this reader).
    NotFound {
        /// What kind of thing.
        what: Noun,
        /// Its code, id or name as the reader gave it.
        which: String,
    },
    /// Text that is not a number.
    NotANumber {
        /// What was typed.
        text: String,
    },
    /// A number written with a mark that reads two ways (`1,240`: one
    /// thousand two hundred and forty, or one point two four), both
    /// plausible for this answer.
    AmbiguousNumber {
        /// What was typed.
        text: String,
        /// The reading with the mark as the decimal separator.
        as_decimal: f64,
        /// The reading with the mark as a thousands separator.
        as_grouped: f64,
    },
    /// Text that is not yes or no.
    NotYesNo {
        /// What was typed.
        text: String,
    },
    /// Not one of an answer's options.
    UnknownOption {
        /// What was given.
        given: String,
        /// The option codes, comma-separated.
        allowed: String,
    },
    /// Not an http(s) link.
    NotAUrl {
        /// What was typed.
        text: String,
    },
    /// Not a legal act written as type|number|date|link.
    NotALegalAct {
        /// What was typed.
        text: String,
    },
    /// A computed answer cannot be entered.
    Computed,
    /// A number outside the range the methodology allows.
    OutOfRange {
        /// The number.
        value: f64,
        /// The least allowed.
        min: f64,
        /// The most allowed.
        max: f64,
    },
}

impl Msg {
    /// Transitional: English text not yet given a key (see [`Msg::Text`]).
    pub fn text(text: impl Into<String>) -> Msg {
        Msg::Text { text: text.into() }
    }

    /// The stable key of the message, for machines (`not_found`).
    pub fn key(&self) -> &'static str {
        match self {
            Msg::Text { .. } => "text",
            Msg::NoAnswer => "no_answer",
            Msg::SignInRequired => "sign_in_required",
            Msg::BadCredentials => "bad_credentials",
            Msg::SavedFirst => "saved_first",
            Msg::Internal => "internal",
            Msg::TooManyRequests { .. } => "too_many_requests",
            Msg::BadArgument { .. } => "bad_argument",
            Msg::NotFound { .. } => "not_found",
            Msg::NotANumber { .. } => "not_a_number",
            Msg::AmbiguousNumber { .. } => "ambiguous_number",
            Msg::NotYesNo { .. } => "not_yes_no",
            Msg::UnknownOption { .. } => "unknown_option",
            Msg::NotAUrl { .. } => "not_a_url",
            Msg::NotALegalAct { .. } => "not_a_legal_act",
            Msg::Computed => "computed",
            Msg::OutOfRange { .. } => "out_of_range",
        }
    }

    /// The message in `l`.
    pub fn render(&self, l: Locale) -> String {
        match self {
            Msg::Text { text } => text.clone(),
            Msg::NoAnswer
            | Msg::SignInRequired
            | Msg::BadCredentials
            | Msg::SavedFirst
            | Msg::Internal
            | Msg::TooManyRequests { .. }
            | Msg::BadArgument { .. }
            | Msg::NotFound { .. } => self.frame(l),
            Msg::NotANumber { .. }
            | Msg::AmbiguousNumber { .. }
            | Msg::NotYesNo { .. }
            | Msg::UnknownOption { .. }
            | Msg::NotAUrl { .. }
            | Msg::NotALegalAct { .. }
            | Msg::Computed
            | Msg::OutOfRange { .. } => self.answer(l),
        }
    }

    /// Messages about the request itself: signing in, races, limits,
    /// arguments, what does not exist.
    fn frame(&self, l: Locale) -> String {
        match self {
            Msg::NoAnswer => say!(l;
                "Server javob bermadi. Internet aloqasini tekshirib, qayta urinib koʻring.",
                "Сервер жавоб бермади. Интернет алоқасини текшириб, қайта уриниб кўринг.",
                "Сервер не ответил. Проверьте подключение к интернету и повторите.",
                "The server did not answer. Check the connection and try again.",
            ),
            Msg::SignInRequired => say!(l;
                "Avval tizimga kiring.",
                "Аввал тизимга киринг.",
                "Сначала войдите в систему.",
                "Please sign in first.",
            ),
            Msg::BadCredentials => say!(l;
                "Elektron pochta yoki parol notoʻgʻri, yoki hisob vaqtincha bloklangan.",
                "Электрон почта ёки парол нотўғри, ёки ҳисоб вақтинча блокланган.",
                "Неверный адрес почты или пароль, либо учётная запись временно заблокирована.",
                "Wrong e-mail or password, or the account is locked for a while.",
            ),
            Msg::SavedFirst => say!(l;
                "Sizdan oldin boshqa kishi saqladi. Sahifani yangilang.",
                "Сиздан олдин бошқа киши сақлади. Саҳифани янгиланг.",
                "Кто-то сохранил изменения раньше вас. Обновите страницу.",
                "Someone else saved first. Reload the page.",
            ),
            Msg::Internal => say!(l;
                "Serverda xatolik yuz berdi; u qayd etildi.",
                "Серверда хатолик юз берди; у қайд этилди.",
                "На сервере произошла ошибка; она записана в журнал.",
                "Internal error; it has been logged.",
            ),
            Msg::TooManyRequests { secs } => {
                let secs = l.count(*secs, seconds(l));
                say!(l;
                    "Soʻrovlar juda koʻp. {secs}dan keyin qayta urinib koʻring.",
                    "Сўровлар жуда кўп. {secs}дан кейин қайта уриниб кўринг.",
                    "Слишком много запросов. Повторите через {secs}.",
                    "Too many requests. Try again in {secs}.",
                )
            }
            Msg::BadArgument { field: Some(field) } => say!(l;
                "Soʻrov notoʻgʻri: «{field}» maydoni yoʻq yoki notoʻgʻri.",
                "Сўров нотўғри: «{field}» майдони йўқ ёки нотўғри.",
                "Неверный запрос: поле «{field}» отсутствует или заполнено неверно.",
                "Bad request: the field “{field}” is missing or malformed.",
            ),
            Msg::BadArgument { field: None } => say!(l;
                "Soʻrov notoʻgʻri: maydonlari oʻqib boʻlmadi.",
                "Сўров нотўғри: майдонларини ўқиб бўлмади.",
                "Неверный запрос: не удалось прочитать его поля.",
                "Bad request: its fields could not be read.",
            ),
            Msg::NotFound { what, which: key } => {
                let what = what.name(l);
                say!(l;
                    "Topilmadi: {what} «{key}».",
                    "Топилмади: {what} «{key}».",
                    "Не найдено: {what} «{key}».",
                    "Not found: {what} “{key}”.",
                )
            }
            // `render` sends only the variants above here.
            _ => String::new(),
        }
    }

    /// Messages about an answer someone typed.
    fn answer(&self, l: Locale) -> String {
        match self {
            Msg::NotANumber { text } => say!(l;
                "«{text}» son emas. Raqamlarda yozing, masalan 1 240,5.",
                "«{text}» сон эмас. Рақамларда ёзинг, масалан 1 240,5.",
                "«{text}» — не число. Введите цифрами, например 1 240,5.",
                "“{text}” is not a number. Write it in digits, e.g. 1,240.5.",
            ),
            Msg::AmbiguousNumber {
                text,
                as_decimal,
                as_grouped,
            } => {
                let (a, b) = (l.format_plain(*as_decimal), l.format_plain(*as_grouped));
                say!(l;
                    "«{text}» ikki xil oʻqiladi: {a} yoki {b}. Qaysi biri nazarda tutilganini tanlang.",
                    "«{text}» икки хил ўқилади: {a} ёки {b}. Қайси бири назарда тутилганини танланг.",
                    "«{text}» можно прочитать двояко: {a} или {b}. Выберите, что имелось в виду.",
                    "“{text}” reads two ways: {a} or {b}. Choose which was meant.",
                )
            }
            Msg::NotYesNo { text } => say!(l;
                "«{text}» — «ha» ham, «yoʻq» ham emas.",
                "«{text}» — «ҳа» ҳам, «йўқ» ҳам эмас.",
                "«{text}» — не «да» и не «нет».",
                "“{text}” is neither yes nor no.",
            ),
            Msg::UnknownOption { given, allowed } => say!(l;
                "«{given}» variantlar orasida yoʻq. Variantlar: {allowed}.",
                "«{given}» вариантлар орасида йўқ. Вариантлар: {allowed}.",
                "«{given}» нет среди вариантов. Варианты: {allowed}.",
                "“{given}” is not one of the options: {allowed}.",
            ),
            Msg::NotAUrl { text } => say!(l;
                "«{text}» havola emas: https:// bilan boshlanadigan manzil yozing.",
                "«{text}» ҳавола эмас: https:// билан бошланадиган манзил ёзинг.",
                "«{text}» — не ссылка: укажите адрес, начинающийся с https://.",
                "“{text}” is not a link: write an address starting with https://.",
            ),
            Msg::NotALegalAct { text } => say!(l;
                "«{text}» huquqiy hujjat emas: turi|raqami|YYYY-MM-DD|havola shaklida yozing.",
                "«{text}» ҳуқуқий ҳужжат эмас: тури|рақами|YYYY-MM-DD|ҳавола шаклида ёзинг.",
                "«{text}» — не правовой акт: укажите вид|номер|ГГГГ-ММ-ДД|ссылка.",
                "“{text}” is not a legal act: write type|number|YYYY-MM-DD|link.",
            ),
            Msg::Computed => say!(l;
                "Bu koʻrsatkich boshqa javoblardan hisoblanadi; uni kiritib boʻlmaydi.",
                "Бу кўрсаткич бошқа жавоблардан ҳисобланади; уни киритиб бўлмайди.",
                "Этот показатель вычисляется из других ответов; его нельзя ввести.",
                "This indicator is computed from other answers; it cannot be entered.",
            ),
            Msg::OutOfRange { value, min, max } => {
                let (v, lo, hi) = (
                    l.format_plain(*value),
                    l.format_plain(*min),
                    l.format_plain(*max),
                );
                say!(l;
                    "{v} ruxsat etilgan oraliqdan tashqarida: [{lo}; {hi}].",
                    "{v} рухсат этилган оралиқдан ташқарида: [{lo}; {hi}].",
                    "{v} вне допустимого диапазона: [{lo}; {hi}].",
                    "{v} is outside the allowed range [{lo}; {hi}].",
                )
            }
            // `render` sends only the variants above here.
            _ => String::new(),
        }
    }
}

/// "second" in the three plural forms of `l` (see [`Locale::count`]).
fn seconds(l: Locale) -> [&'static str; 3] {
    pick(
        l,
        [
            ["soniya"; 3],
            ["сония"; 3],
            ["секунду", "секунды", "секунд"],
            ["second", "seconds", "seconds"],
        ],
    )
}

/// English, for logs and `Display` (the reader's language is chosen at the
/// edge with [`Msg::render`]).
impl std::fmt::Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Locale::En))
    }
}

impl From<String> for Msg {
    fn from(text: String) -> Self {
        Msg::text(text)
    }
}

impl From<&str> for Msg {
    fn from(text: &str) -> Self {
        Msg::text(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Msg> {
        vec![
            Msg::NoAnswer,
            Msg::SignInRequired,
            Msg::BadCredentials,
            Msg::SavedFirst,
            Msg::Internal,
            Msg::TooManyRequests { secs: 21 },
            Msg::BadArgument {
                field: Some("page".into()),
            },
            Msg::BadArgument { field: None },
            Msg::NotFound {
                what: Noun::Campaign,
                which: "dist-2025".into(),
            },
            Msg::NotANumber { text: "abc".into() },
            Msg::AmbiguousNumber {
                text: "1,240".into(),
                as_decimal: 1.24,
                as_grouped: 1240.0,
            },
            Msg::OutOfRange {
                value: 99_999.0,
                min: 0.0,
                max: 10_000.0,
            },
            Msg::NotYesNo { text: "x".into() },
            Msg::UnknownOption {
                given: "x".into(),
                allowed: "a, b".into(),
            },
            Msg::NotAUrl { text: "x".into() },
            Msg::NotALegalAct { text: "x".into() },
            Msg::Computed,
        ]
    }

    #[test]
    fn every_message_differs_by_language_and_round_trips() {
        for m in samples() {
            let texts: Vec<String> = Locale::ALL.iter().map(|&l| m.render(l)).collect();
            for (i, a) in texts.iter().enumerate() {
                assert!(!a.is_empty(), "{m:?}");
                for b in &texts[i + 1..] {
                    assert_ne!(a, b, "{m:?} reads the same in two languages");
                }
            }
            let json = serde_json::to_value(&m).unwrap();
            assert_eq!(json["key"], m.key(), "{json}");
            assert_eq!(serde_json::from_value::<Msg>(json).unwrap(), m);
        }
    }

    #[test]
    fn numbers_and_counts_are_written_the_local_way() {
        let range = Msg::OutOfRange {
            value: 99_999.0,
            min: 0.0,
            max: 10_000.0,
        };
        assert_eq!(
            range.render(Locale::Ru),
            "99\u{a0}999 вне допустимого диапазона: [0; 10\u{a0}000]."
        );
        assert!(range.render(Locale::En).contains("99,999"));
        let wait = Msg::TooManyRequests { secs: 22 };
        assert!(wait.render(Locale::Ru).contains("22 секунды"));
        assert!(
            Msg::TooManyRequests { secs: 25 }
                .render(Locale::Ru)
                .contains("25 секунд")
        );
        assert!(
            Msg::TooManyRequests { secs: 1 }
                .render(Locale::En)
                .contains("1 second.")
        );
    }
}
