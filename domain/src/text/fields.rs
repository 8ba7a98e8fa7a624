//! Texts about a form's fields: what is missing, too long, or not what the
//! field takes.

use crate::Locale;

use super::msg::{Expected, Msg, Need};

impl Msg {
    /// Messages about one field of a form.
    pub(super) fn fields(&self, l: Locale) -> String {
        match self {
            Msg::Required { need } => l.pick(need_text(*need)).to_owned(),
            Msg::Length { min, max } if *min <= 1 => {
                let max = l.count(u64::from(*max), characters(l));
                say!(l;
                    "Koʻpi bilan {max}.",
                    "Кўпи билан {max}.",
                    "Не длиннее {max}.",
                    "At most {max}.",
                )
            }
            Msg::Length { min, max } => {
                let max = l.count(u64::from(*max), characters(l));
                say!(l;
                    "Uzunligi {min} dan {max}gacha boʻlsin.",
                    "Узунлиги {min} дан {max}гача бўлсин.",
                    "Длина — от {min} до {max}.",
                    "Use {min} to {max}.",
                )
            }
            Msg::NotA { text, expected } => {
                let hint = l.pick(expected_text(*expected));
                say!(l;
                    "«{text}»: {hint}",
                    "«{text}»: {hint}",
                    "«{text}»: {hint}",
                    "“{text}”: {hint}",
                )
            }
            Msg::EndsBeforeBegins => say!(l;
                "Tugash sanasi boshlanish sanasidan oldin.",
                "Тугаш санаси бошланиш санасидан олдин.",
                "Дата окончания раньше даты начала.",
                "It ends before it begins.",
            ),
            Msg::DatesOutOfOrder => say!(l;
                "Sanalar tartibi: ochilish → muddat → tekshiruv → apellyatsiyalar.",
                "Саналар тартиби: очилиш → муддат → текширув → апелляциялар.",
                "Даты должны идти по порядку: открытие → срок → проверка → апелляции.",
                "Dates must follow open → deadline → review → appeals.",
            ),
            Msg::NotInFuture => say!(l;
                "Bu vaqt kelajakda boʻlishi kerak.",
                "Бу вақт келажакда бўлиши керак.",
                "Это время должно быть в будущем.",
                "This time must be in the future.",
            ),
            Msg::WeakPassword => say!(l;
                "Parolda harflar bilan birga raqam yoki belgilar ham boʻlsin.",
                "Паролда ҳарфлар билан бирга рақам ёки белгилар ҳам бўлсин.",
                "Добавьте в пароль к буквам цифры или символы.",
                "Mix letters with digits or symbols.",
            ),
            Msg::WrongPassword => say!(l;
                "Joriy parol notoʻgʻri.",
                "Жорий парол нотўғри.",
                "Текущий пароль указан неверно.",
                "The current password is wrong.",
            ),
            // `render` sends only the variants above here.
            _ => String::new(),
        }
    }
}

/// "character" in the plural forms of `l` (Russian after «до»/«не длиннее»:
/// the genitive).
fn characters(l: Locale) -> [&'static str; 3] {
    l.pick([
        ["ta belgi"; 3],
        ["та белги"; 3],
        ["символа", "символов", "символов"],
        ["character", "characters", "characters"],
    ])
}

fn need_text(need: Need) -> [&'static str; 4] {
    match need {
        Need::Reason => [
            "Sababini yozing.",
            "Сабабини ёзинг.",
            "Укажите причину.",
            "Say why.",
        ],
        Need::Reply => [
            "Javob matni boʻsh.",
            "Жавоб матни бўш.",
            "Текст ответа пуст.",
            "The reply is empty.",
        ],
        Need::Name => [
            "Nomini yozing.",
            "Номини ёзинг.",
            "Укажите название.",
            "A name is required.",
        ],
        Need::NamesInEveryLanguage => [
            "Nomini toʻrt tilda ham yozing.",
            "Номини тўрт тилда ҳам ёзинг.",
            "Укажите название на всех четырёх языках.",
            "A name is required in every language.",
        ],
        Need::ActType => [
            "Hujjat turini yozing.",
            "Ҳужжат турини ёзинг.",
            "Укажите вид акта.",
            "The type of act is required.",
        ],
        Need::ActNumber => [
            "Hujjat raqamini yozing.",
            "Ҳужжат рақамини ёзинг.",
            "Укажите номер акта.",
            "The act's number is required.",
        ],
        Need::Outcome => [
            "Nima hal qilinganini va nima uchunligini yozing.",
            "Нима ҳал қилинганини ва нима учунлигини ёзинг.",
            "Запишите, что решено и почему.",
            "Record what was decided and why.",
        ],
        Need::CorrectedValue => [
            "Tuzatilgan qiymatni yozing.",
            "Тузатилган қийматни ёзинг.",
            "Укажите исправленное значение.",
            "An adjustment needs the corrected value.",
        ],
        Need::Changelog => [
            "Nima oʻzgargani va nima uchunligini yozing.",
            "Нима ўзгаргани ва нима учунлигини ёзинг.",
            "Опишите, что изменилось и почему.",
            "Say what changed and why.",
        ],
        Need::Complaint => [
            "Nima notoʻgʻri va nima uchunligini yozing.",
            "Нима нотўғри ва нима учунлигини ёзинг.",
            "Опишите, что неверно и почему.",
            "Say what is wrong and why.",
        ],
        Need::Decision => [
            "Qarorni tanlang: qanoatlantirildi yoki rad etildi.",
            "Қарорни танланг: қаноатлантирилди ёки рад этилди.",
            "Выберите решение: удовлетворить или отклонить.",
            "Decide: upheld or rejected.",
        ],
        Need::Indicator => [
            "Taklif qilingan qiymat qaysi koʻrsatkich uchun ekanini tanlang.",
            "Таклиф қилинган қиймат қайси кўрсаткич учун эканини танланг.",
            "Укажите показатель, к которому относится предложенное значение.",
            "A proposed value needs the indicator it is for.",
        ],
    }
}

fn expected_text(expected: Expected) -> [&'static str; 4] {
    match expected {
        Expected::Date => [
            "bu sana emas; YYYY-MM-DD shaklida yozing.",
            "бу сана эмас; YYYY-MM-DD шаклида ёзинг.",
            "это не дата; укажите в виде ГГГГ-ММ-ДД.",
            "not a date; write YYYY-MM-DD.",
        ],
        Expected::DateTime => [
            "bu sana va vaqt emas; 2026-12-15T10:00 shaklida yozing.",
            "бу сана ва вақт эмас; 2026-12-15T10:00 шаклида ёзинг.",
            "это не дата и время; укажите в виде 2026-12-15T10:00.",
            "not a date and time; write 2026-12-15T10:00.",
        ],
        Expected::TashkentTime => [
            "Toshkent vaqtida bunday vaqt yoʻq.",
            "Тошкент вақтида бундай вақт йўқ.",
            "такого времени по Ташкенту нет.",
            "not a time in Tashkent.",
        ],
        Expected::Email => [
            "bu elektron pochta manzili emas.",
            "бу электрон почта манзили эмас.",
            "это не адрес электронной почты.",
            "not an e-mail address.",
        ],
        Expected::Code => [
            "bu kod emas: harflar, raqamlar, nuqta va chiziqchalar.",
            "бу код эмас: ҳарфлар, рақамлар, нуқта ва чизиқчалар.",
            "это не код: буквы, цифры, точки и дефисы.",
            "not a code: letters, digits, dots and hyphens.",
        ],
        Expected::Slug => [
            "1–64 ta kichik lotin harfi, raqam va chiziqcha ishlating.",
            "1–64 та кичик лотин ҳарфи, рақам ва чизиқча ишлатинг.",
            "используйте 1–64 строчные латинские буквы, цифры и дефисы.",
            "use 1–64 lower-case letters, digits and hyphens.",
        ],
        Expected::EntityId => [
            "bu tashkilot raqami emas.",
            "бу ташкилот рақами эмас.",
            "это не номер организации.",
            "not an entity number.",
        ],
        Expected::VersionName => [
            "versiyani kod@versiya shaklida yozing.",
            "версияни код@версия шаклида ёзинг.",
            "укажите версию в виде код@версия.",
            "name a version as code@version.",
        ],
        Expected::Language => [
            "bunday til yoʻq.",
            "бундай тил йўқ.",
            "такого языка нет.",
            "not a language of the site.",
        ],
    }
}
