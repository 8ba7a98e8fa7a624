//! The label table: every fixed word the exports print, in the four languages
//! of the user interface.
//!
//! Each label is a function `fn(Lang) -> &'static str`. The [`labels!`] macro
//! that generates them takes exactly four strings per label (uz-Latn, uz-Cyrl,
//! ru, en), so a missing translation is a compile error rather than an empty
//! cell. Names of entities, domains and indicators are *not* here: they come in
//! the input data, already in the chosen language.
//!
//! Uzbek Latin uses the official letters `oʻ gʻ` (U+02BB) and the tutuq belgisi
//! `ʼ` (U+02BC), not ASCII apostrophes.

use serde::{Deserialize, Serialize};

/// The language of a generated file's labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    /// Uzbek, Latin script (the default).
    #[default]
    #[serde(rename = "uz-Latn")]
    UzLatn,
    /// Uzbek, Cyrillic script.
    #[serde(rename = "uz-Cyrl")]
    UzCyrl,
    /// Russian.
    #[serde(rename = "ru")]
    Ru,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// All languages, in the order of the label table.
    pub const ALL: [Lang; 4] = [Lang::UzLatn, Lang::UzCyrl, Lang::Ru, Lang::En];

    /// The BCP 47 tag (`uz-Latn`, `uz-Cyrl`, `ru`, `en`).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::UzLatn => "uz-Latn",
            Lang::UzCyrl => "uz-Cyrl",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Parses a BCP 47 tag, case-insensitively; bare `uz` means Latin script.
    pub fn parse(tag: &str) -> Option<Lang> {
        match tag.to_ascii_lowercase().replace('_', "-").as_str() {
            "uz" | "uz-latn" => Some(Lang::UzLatn),
            "uz-cyrl" => Some(Lang::UzCyrl),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The decimal separator used in text the exports compose themselves
    /// (e.g. "16 (27,1%) yaxshi"). Numeric cells are real numbers and follow
    /// the reader's locale.
    pub fn decimal_separator(self) -> char {
        match self {
            Lang::En => '.',
            Lang::UzLatn | Lang::UzCyrl | Lang::Ru => ',',
        }
    }

    fn pick(self, texts: [&'static str; 4]) -> &'static str {
        match self {
            Lang::UzLatn => texts[0],
            Lang::UzCyrl => texts[1],
            Lang::Ru => texts[2],
            Lang::En => texts[3],
        }
    }
}

/// Declares label functions; each takes exactly four strings.
macro_rules! labels {
    ($($name:ident => [$uz_latn:expr, $uz_cyrl:expr, $ru:expr, $en:expr $(,)?];)*) => {
        $(
            #[doc = concat!("Label (en: \"", $en, "\").")]
            pub fn $name(lang: Lang) -> &'static str {
                lang.pick([$uz_latn, $uz_cyrl, $ru, $en])
            }
        )*

        /// Every label function with its name, for completeness tests.
        pub const ALL_LABELS: &[(&str, fn(Lang) -> &'static str)] = &[$((stringify!($name), $name)),*];
    };
}

labels! {
    // Workbook-level.
    national_title => ["Raqamli yetuklik milliy reytingi", "Рақамли етуклик миллий рейтинги", "Национальный рейтинг цифровой зрелости", "National digital maturity rating"];
    report_card_title => ["Tashkilot hisoboti", "Ташкилот ҳисоботи", "Карточка организации", "Entity report card"];
    region_pack_title => ["Hudud hisobotlari toʻplami", "Ҳудуд ҳисоботлари тўплами", "Пакет отчётов по региону", "Region report pack"];
    subject => ["Raqamli yetuklik reytingi", "Рақамли етуклик рейтинги", "Рейтинг цифровой зрелости", "Digital maturity rating"];
    keywords => ["reyting, raqamli yetuklik, Daraja", "рейтинг, рақамли етуклик, Daraja", "рейтинг, цифровая зрелость, Daraja", "rating, digital maturity, Daraja"];
    page_footer => ["Sahifa", "Саҳифа", "Страница", "Page"];

    // The campaign template (offline form).
    template_title => ["Maʼlumotlar kiritish shabloni", "Маълумотлар киритиш шаблони", "Шаблон для заполнения", "Data entry template"];
    sheet_instructions => ["Yoʻriqnoma", "Йўриқнома", "Инструкция", "Instructions"];
    sheet_values => ["Qiymatlar", "Қийматлар", "Значения", "Values"];
    instructions => ["Qanday toʻldiriladi", "Қандай тўлдирилади", "Как заполнить", "How to fill it in"];
    deadline => ["Topshirish muddati", "Топшириш муддати", "Срок сдачи", "Deadline"];
    entity_code => ["Tashkilot kodi", "Ташкилот коди", "Код организации", "Entity code"];
    indicator_code => ["Koʻrsatkich kodi", "Кўрсаткич коди", "Код показателя", "Indicator code"];
    section => ["Boʻlim", "Бўлим", "Раздел", "Section"];
    expects => ["Nima kiritiladi", "Нима киритилади", "Что вводить", "What to enter"];
    required => ["Majburiy", "Мажбурий", "Обяз.", "Required"];
    yes => ["Ha", "Ҳа", "Да", "Yes"];
    no => ["Yoʻq", "Йўқ", "Нет", "No"];
    expects_number => ["Son", "Сон", "Число", "A number"];
    expects_choice => ["Roʻyxatdan bittasini tanlang", "Рўйхатдан биттасини танланг", "Выберите один вариант из списка", "Pick one from the list"];
    expects_checklist => ["Mos keladigan kodlarni « ; » bilan ajratib yozing", "Мос келадиган кодларни « ; » билан ажратиб ёзинг", "Перечислите подходящие коды через « ; »", "List the codes that apply, separated by « ; »"];
    expects_url => ["Veb-manzil (https://…)", "Веб-манзил (https://…)", "Веб-адрес (https://…)", "Web address (https://…)"];
    expects_legal_act => ["Hujjat turi | raqami | sanasi | havola", "Ҳужжат тури | рақами | санаси | ҳавола", "Вид акта | номер | дата | ссылка", "Act type | number | date | link"];
    expects_text => ["Matn", "Матн", "Текст", "Text"];
    expects_computed => ["Boshqa javoblardan hisoblanadi", "Бошқа жавоблардан ҳисобланади", "Вычисляется из других ответов", "Computed from other answers"];
    template_step_fill => ["Sariq kataklarni toʻldiring: «Qiymat» va kerak boʻlsa «Izoh». Boshqa ustunlar qulflangan.", "Сариқ катакларни тўлдиринг: «Қиймат» ва керак бўлса «Изоҳ». Бошқа устунлар қулфланган.", "Заполните жёлтые ячейки: «Значение» и при необходимости «Комментарий». Остальные столбцы защищены.", "Fill in the yellow cells: the value and, where needed, a comment. The other columns are locked."];
    template_step_locked => ["Kodlar va metodika belgisi faylni shaklga bogʻlaydi: ularni oʻzgartirmang, qatorlarni oʻchirmang.", "Кодлар ва методика белгиси файлни шаклга боғлайди: уларни ўзгартирманг, қаторларни ўчирманг.", "Коды и отметка методики связывают файл с анкетой: не меняйте их и не удаляйте строки.", "The codes and the methodology stamp tie the file to your form: do not change them or delete rows."];
    template_step_kinds => ["«Ha/Yoʻq» va tanlovlar uchun ochiladigan roʻyxatdan foydalaning; sonlarni son sifatida kiriting.", "«Ҳа/Йўқ» ва танловлар учун очиладиган рўйхатдан фойдаланинг; сонларни сон сифатида киритинг.", "Для «Да/Нет» и вариантов используйте выпадающий список; числа вводите числами.", "Use the dropdown for yes/no and choices; enter numbers as numbers."];
    template_step_upload => ["Faylni shakl sahifasida yuklang. Avval «faqat tekshirish» bilan sinab koʻring: hech narsa saqlanmaydi, xatolar katak manzili bilan koʻrsatiladi.", "Файлни шакл саҳифасида юкланг. Аввал «фақат текшириш» билан синаб кўринг: ҳеч нарса сақланмайди, хатолар катак манзили билан кўрсатилади.", "Загрузите файл на странице анкеты. Сначала попробуйте «только проверить»: ничего не сохранится, ошибки будут показаны с адресом ячейки.", "Upload the file on the form's page. Try “check only” first: nothing is saved and every problem is shown with its cell."];
    template_step_conflicts => ["Fayldagi biror xato boʻlsa, hech narsa saqlanmaydi. Yuklab olingandan keyin shaklda boshqa kishi oʻzgartirgan qiymatlar ziddiyat sifatida koʻrsatiladi.", "Файлдаги бирор хато бўлса, ҳеч нарса сақланмайди. Юклаб олингандан кейин шаклда бошқа киши ўзгартирган қийматлар зиддият сифатида кўрсатилади.", "Если в файле есть хоть одна ошибка, ничего не сохраняется. Значения, изменённые в анкете после скачивания, показываются как конфликт.", "If anything in the file is wrong, nothing is saved. Values someone changed in the form after you downloaded are shown as conflicts."];
    region_template_title => ["Hudud tumanlari uchun maʼlumotlar kiritish shabloni", "Ҳудуд туманлари учун маълумотлар киритиш шаблони", "Шаблон для заполнения по районам региона", "Data entry template for the region's districts"];
    districts => ["Tumanlar", "Туманлар", "Районы", "Districts"];
    region_template_step_fill => ["Har bir tuman — bitta qator, har bir savol — bitta ustun. Sariq kataklarni toʻldiring; izoh va asoslashlar tumanning shaklida yoziladi.", "Ҳар бир туман — битта қатор, ҳар бир савол — битта устун. Сариқ катакларни тўлдиринг; изоҳ ва асослашлар туманнинг шаклида ёзилади.", "Каждый район — одна строка, каждый вопрос — один столбец. Заполните жёлтые ячейки; комментарии и обоснования пишутся в анкете района.", "Each district is a row and each question a column. Fill in the yellow cells; comments and justifications go in the district's own form."];
    region_template_step_upload => ["Faylni baholash bosqichi sahifasida yuklang. Avval «faqat tekshirish»: hech narsa saqlanmaydi, xatolar katak manzili bilan koʻrsatiladi. Keyin hamma tumanlar birga saqlanadi yoki hech biri.", "Файлни баҳолаш босқичи саҳифасида юкланг. Аввал «фақат текшириш»: ҳеч нарса сақланмайди, хатолар катак манзили билан кўрсатилади. Кейин ҳамма туманлар бирга сақланади ёки ҳеч бири.", "Загрузите файл на странице кампании. Сначала «только проверить»: ничего не сохранится, ошибки будут показаны с адресом ячейки. Затем сохраняются все районы вместе или ни один.", "Upload the file on the campaign's page. Check only first: nothing is saved and every problem is shown with its cell. Then every district is saved together, or none."];

    // Sheet names (at most 31 characters, no []:*?/\).
    sheet_summary => ["Umumiy", "Умумий", "Сводка", "Summary"];
    sheet_methodology => ["Metodika", "Методика", "Методика", "Methodology"];
    sheet_raw_values => ["Xom qiymatlar", "Хом қийматлар", "Исходные значения", "Raw values"];
    sheet_overview => ["Umumiy koʻrinish", "Умумий кўриниш", "Обзор", "Overview"];
    sheet_card => ["Hisobot", "Ҳисобот", "Карточка", "Report card"];

    // Entity kinds.
    kind_state_body => ["Davlat organlari", "Давлат органлари", "Госорганы", "State bodies"];
    kind_economic_body => ["Xoʻjalik birlashmalari", "Хўжалик бирлашмалари", "Хозяйственные объединения", "Economic bodies"];
    kind_region => ["Hududlar", "Ҳудудлар", "Регионы", "Regions"];
    kind_district => ["Tumanlar va shaharlar", "Туманлар ва шаҳарлар", "Районы и города", "Districts and cities"];

    // Bands.
    band_good => ["yaxshi", "яхши", "хорошо", "good"];
    band_satisfactory => ["qoniqarli", "қониқарли", "удовлетворительно", "satisfactory"];
    band_unsatisfactory => ["qoniqarsiz", "қониқарсиз", "неудовлетворительно", "unsatisfactory"];
    not_rated => ["baholanmagan", "баҳоланмаган", "не оценено", "not rated"];

    // Summary.
    campaign => ["Kampaniya", "Кампания", "Кампания", "Campaign"];
    period => ["Davr", "Давр", "Период", "Period"];
    methodology => ["Metodika (kod, versiya)", "Методика (код, версия)", "Методика (код, версия)", "Methodology (code, version)"];
    publication_date => ["Eʼlon qilingan sana", "Эълон қилинган сана", "Дата публикации", "Publication date"];
    revision => ["Tahrir", "Таҳрир", "Редакция", "Revision"];
    publisher => ["Nashr etuvchi", "Нашр этувчи", "Издатель", "Publisher"];
    distribution => ["Baholar taqsimoti", "Баҳолар тақсимоти", "Распределение оценок", "Distribution of bands"];
    nominations => ["Nominatsiyalar: yoʻnalish boʻyicha eng yaxshilar", "Номинациялар: йўналиш бўйича энг яхшилар", "Номинации: лучшие по направлениям", "Nominations: best per domain"];
    entity_kind => ["Tashkilot turi", "Ташкилот тури", "Тип организации", "Entity kind"];
    count_total => ["Jami", "Жами", "Всего", "Total"];
    best_entity => ["Eng yaxshi", "Энг яхши", "Лучший", "Best"];
    notes => ["Izohlar", "Изоҳлар", "Примечания", "Notes"];
    note_rounding => [
        "Indeks va ballar 0–100 shkalada, 2 xonagacha yaxlitlangan (0,5 noldan uzoqqa). Excel, CSV va JSON da bir xil qiymatlar.",
        "Индекс ва баллар 0–100 шкалада, 2 хонагача яхлитланган (0,5 нолдан узоққа). Excel, CSV ва JSON да бир хил қийматлар.",
        "Индекс и баллы по шкале 0–100, округлены до 2 знаков (0,5 — от нуля). В Excel, CSV и JSON одинаковые значения.",
        "Index and scores are on a 0–100 scale, rounded to 2 decimals (half away from zero). Excel, CSV and JSON carry the same values.",
    ];
    note_interval => [
        "Oʻrin oraligʻi (p05–p95): noaniqlik simulyatsiyasida oʻrinlarning 90% oraligʻi.",
        "Ўрин оралиғи (p05–p95): ноаниқлик симуляциясида ўринларнинг 90% оралиғи.",
        "Интервал места (p05–p95): 90% диапазон мест в симуляции неопределённости.",
        "Rank interval (p05–p95): the 90% range of ranks in the uncertainty simulation.",
    ];
    note_change => [
        "Oʻzgarish: indeksning oldingi kampaniyaga nisbatan farqi (ball).",
        "Ўзгариш: индекснинг олдинги кампанияга нисбатан фарқи (балл).",
        "Изменение: разница индекса с предыдущей кампанией (в баллах).",
        "Change: difference of the index from the previous campaign (points).",
    ];

    // League table columns.
    rank => ["Oʻrin", "Ўрин", "Место", "Rank"];
    rank_interval => ["Oʻrin oraligʻi (p05–p95)", "Ўрин оралиғи (p05–p95)", "Интервал места (p05–p95)", "Rank interval (p05–p95)"];
    entity => ["Tashkilot", "Ташкилот", "Организация", "Entity"];
    code => ["Kod (SOATO/STIR)", "Код (СОАТО/СТИР)", "Код (СОАТО/ИНН)", "Code (SOATO/TIN)"];
    region => ["Hudud", "Ҳудуд", "Регион", "Region"];
    index => ["Indeks", "Индекс", "Индекс", "Index"];
    band => ["Baho", "Баҳо", "Оценка", "Band"];
    change => ["Oʻzgarish", "Ўзгариш", "Изменение", "Change"];

    // Methodology and indicators.
    level => ["Daraja", "Даража", "Уровень", "Level"];
    domain => ["Yoʻnalish", "Йўналиш", "Направление", "Domain"];
    indicator => ["Koʻrsatkich", "Кўрсаткич", "Показатель", "Indicator"];
    name => ["Nomi", "Номи", "Наименование", "Name"];
    weight => ["Vazn", "Вазн", "Вес", "Weight"];
    normalisation => ["Normallashtirish", "Нормаллаштириш", "Нормализация", "Normalisation"];
    unit => ["Oʻlchov birligi", "Ўлчов бирлиги", "Единица измерения", "Unit"];
    bands => ["Baholash chegaralari", "Баҳолаш чегаралари", "Границы оценок", "Bands"];
    lower_bound => ["Quyi chegara (≥)", "Қуйи чегара (≥)", "Нижняя граница (≥)", "Lower bound (≥)"];
    upper_bound => ["Yuqori chegara (<)", "Юқори чегара (<)", "Верхняя граница (<)", "Upper bound (<)"];
    colour => ["Rang", "Ранг", "Цвет", "Colour"];
    scores_caption => ["Normallashtirilgan ballar (0–100)", "Нормаллаштирилган баллар (0–100)", "Нормализованные баллы (0–100)", "Normalised scores (0–100)"];
    raw_caption => ["Koʻrsatkichlarning xom qiymatlari", "Кўрсаткичларнинг хом қийматлари", "Исходные значения показателей", "Raw indicator values"];

    // Report card.
    score => ["Ball", "Балл", "Балл", "Score"];
    peer_average => ["Guruh oʻrtachasi", "Гуруҳ ўртачаси", "Среднее по группе", "Peer average"];
    region_average => ["Hudud oʻrtachasi", "Ҳудуд ўртачаси", "Среднее по региону", "Region average"];
    vs_peers => ["Guruhdan farq", "Гуруҳдан фарқ", "Отклонение от группы", "Difference vs peers"];
    domain_scores => ["Yoʻnalishlar boʻyicha ballar", "Йўналишлар бўйича баллар", "Баллы по направлениям", "Domain scores"];
    participants => ["Ishtirokchilar soni", "Иштирокчилар сони", "Число участников", "Participants"];
    trend => ["Kampaniyalar boʻyicha dinamika", "Кампаниялар бўйича динамика", "Динамика по кампаниям", "Trend over campaigns"];
    gaps => ["Birinchi navbatda nimani yaxshilash kerak", "Биринчи навбатда нимани яхшилаш керак", "Что улучшить в первую очередь", "What to improve first"];
    points_lost => ["Yoʻqotilgan ballar", "Йўқотилган баллар", "Потерянные баллы", "Points lost"];
    potential_gain => ["Indeksga mumkin boʻlgan qoʻshimcha", "Индексга мумкин бўлган қўшимча", "Возможный прирост индекса", "Potential index gain"];
    indicator_values => ["Koʻrsatkich qiymatlari va dalillar", "Кўрсаткич қийматлари ва далиллар", "Значения показателей и подтверждения", "Indicator values and evidence"];
    value => ["Qiymat", "Қиймат", "Значение", "Value"];
    evidence => ["Dalil", "Далил", "Подтверждение", "Evidence"];
    comments => ["Ekspert izohlari", "Эксперт изоҳлари", "Комментарии экспертов", "Reviewer comments"];
    date => ["Sana", "Сана", "Дата", "Date"];
    reviewer => ["Ekspert", "Эксперт", "Эксперт", "Reviewer"];
    comment => ["Izoh", "Изоҳ", "Комментарий", "Comment"];
    no_data => ["Maʼlumot yoʻq", "Маълумот йўқ", "Нет данных", "No data"];
}

/// The plural label of an entity kind.
pub fn kind_label(kind: crate::EntityKind, lang: Lang) -> &'static str {
    use crate::EntityKind;
    match kind {
        EntityKind::StateBody => kind_state_body(lang),
        EntityKind::EconomicBody => kind_economic_body(lang),
        EntityKind::Region => kind_region(lang),
        EntityKind::District => kind_district(lang),
    }
}

/// The label of a band, or "not rated" for `None`.
pub fn band_label(band: Option<crate::Band>, lang: Lang) -> &'static str {
    use crate::Band;
    match band {
        Some(Band::Good) => band_good(lang),
        Some(Band::Satisfactory) => band_satisfactory(lang),
        Some(Band::Unsatisfactory) => band_unsatisfactory(lang),
        None => not_rated(lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_is_present_in_every_language() {
        for (name, label) in ALL_LABELS {
            for lang in Lang::ALL {
                assert!(
                    !label(lang).trim().is_empty(),
                    "{name} is empty in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn cyrillic_and_latin_uzbek_differ() {
        // A copy-paste slip would leave Latin text in the Cyrillic column.
        for (name, label) in ALL_LABELS {
            let cyrl = label(Lang::UzCyrl);
            let mut stripped = cyrl.to_string();
            for token in ["p05", "p95", "Daraja", "Excel", "CSV", "JSON", "https"] {
                stripped = stripped.replace(token, "");
            }
            let has_latin_letter = stripped.chars().any(|c| c.is_ascii_alphabetic());
            let allowed: [&str; 0] = [];
            assert!(
                !has_latin_letter || allowed.contains(name),
                "{name}: {cyrl}"
            );
        }
    }

    #[test]
    fn lang_tags_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::parse("UZ"), Some(Lang::UzLatn));
        assert_eq!(Lang::parse("de"), None);
    }
}
