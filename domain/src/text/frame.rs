//! Texts about the request itself: signing in, races, limits, arguments,
//! what does not exist.

use crate::Locale;

use super::msg::Msg;

impl Msg {
    /// Messages about the request itself: signing in, races, limits,
    /// arguments, what does not exist.
    pub(super) fn frame(&self, l: Locale) -> String {
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
            Msg::NoPublishedRating { of } => say!(l;
                "«{of}» uchun eʼlon qilingan reyting yoʻq.",
                "«{of}» учун эълон қилинган рейтинг йўқ.",
                "Для «{of}» нет опубликованного рейтинга.",
                "There is no published rating of “{of}”.",
            ),
            Msg::Retracted { campaign, revision } => say!(l;
                "«{campaign}» reytingining {revision}-tahriri qaytarib olingan.",
                "«{campaign}» рейтингининг {revision}-таҳрири қайтариб олинган.",
                "Редакция {revision} рейтинга «{campaign}» отозвана.",
                "Revision {revision} of “{campaign}” was retracted.",
            ),
            Msg::NotRatedIn { campaign } => say!(l;
                "«{campaign}» reyting davri bu turdagi tashkilotlarni baholamaydi.",
                "«{campaign}» рейтинг даври бу турдаги ташкилотларни баҳоламайди.",
                "Рейтинговый период «{campaign}» не оценивает организации этого вида.",
                "Campaign “{campaign}” does not rate this kind of entity.",
            ),
            Msg::NoFormat { file } => say!(l;
                "«{file}»: oxiriga .csv yoki .json qoʻshing.",
                "«{file}»: охирига .csv ёки .json қўшинг.",
                "«{file}»: добавьте в конце .csv или .json.",
                "“{file}”: add .csv or .json.",
            ),
            Msg::Withheld { revision } => say!(l;
                "{revision}-tahrir vaqtincha berilmaydi: u tekshiruvdan oʻtmadi (SHA-256). Administrator zaxira nusxadan tiklaydi.",
                "{revision}-таҳрир вақтинча берилмайди: у текширувдан ўтмади (SHA-256). Администратор захира нусхадан тиклайди.",
                "Редакция {revision} временно недоступна: она не прошла проверку (SHA-256). Администратор восстановит её из резервной копии.",
                "Revision {revision} is withheld: it no longer matches its SHA-256. An operator restores it from a backup.",
            ),
            // `render` sends only the variants above here.
            _ => String::new(),
        }
    }
}

/// "second" in the three plural forms of `l` (see [`Locale::count`]).
fn seconds(l: Locale) -> [&'static str; 3] {
    l.pick([
        ["soniya"; 3],
        ["сония"; 3],
        ["секунду", "секунды", "секунд"],
        ["second", "seconds", "seconds"],
    ])
}
