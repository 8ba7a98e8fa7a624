//! The one translation layer. Every user-facing string of the interface is
//! a method of [`Tr`], and the macro below makes it impossible to add a
//! string without all four languages.
//!
//! Why not leptos_i18n or fluent: the interface has a few hundred short
//! strings and no plural-heavy prose; a typed table checked by the compiler
//! costs nothing at run time, adds no build step, and keeps the wasm small.
//! Names of entities and methodologies come from their own multilingual
//! fields (`domain::Names`), not from here.

use domain::Locale;
use leptos::prelude::*;

macro_rules! translations {
    ($($key:ident => [$uz:expr, $cy:expr, $ru:expr, $en:expr $(,)?]),* $(,)?) => {
        impl Tr {
            $(
                #[allow(missing_docs)]
                pub fn $key(self) -> &'static str {
                    match self.0 {
                        Locale::UzLatn => $uz,
                        Locale::UzCyrl => $cy,
                        Locale::Ru => $ru,
                        Locale::En => $en,
                    }
                }
            )*
        }

        /// Every key with its four texts, for the completeness test.
        #[cfg(test)]
        pub(crate) const ALL: &[(&str, [&str; 4])] = &[$((stringify!($key), [$uz, $cy, $ru, $en])),*];
    };
}

impl Tr {
    /// The name of an entity subkind (`district_level_city`, `ministry`, …);
    /// an unknown subkind shows as it is stored.
    pub fn subkind(self, subkind: &str) -> String {
        let text = match subkind {
            "region" => self.sub_region(),
            "autonomous_republic" => self.sub_autonomous_republic(),
            "city_of_republican_significance" => self.sub_city_of_republican_significance(),
            "district" => self.sub_district(),
            "district_level_city" => self.sub_district_level_city(),
            "city_district" => self.sub_city_district(),
            "ministry" => self.sub_ministry(),
            "state_committee" => self.sub_state_committee(),
            "agency" => self.sub_agency(),
            "inspection" => self.sub_inspection(),
            "court" => self.sub_court(),
            "other_state_body" => self.sub_other_state_body(),
            "company" => self.sub_company(),
            "joint_stock_company" => self.sub_joint_stock_company(),
            "association" => self.sub_association(),
            "holding" => self.sub_holding(),
            other => return other.to_owned(),
        };
        text.to_owned()
    }
}

/// The interface strings in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub Locale);

impl Tr {
    /// The language.
    pub fn locale(self) -> Locale {
        self.0
    }
}

/// The current page's strings (from the context the app provides).
pub fn use_tr() -> Tr {
    use_context::<Tr>().unwrap_or(Tr(Locale::default()))
}

translations! {
    app_name => ["Daraja", "Даража", "Дараджа", "Daraja"],
    app_tagline => [
        "Davlat organlari va hududlarning raqamlashtirish reytingi",
        "Давлат органлари ва ҳудудларнинг рақамлаштириш рейтинги",
        "Рейтинг цифровизации государственных органов и территорий",
        "Digital maturity rating of state bodies and territories",
    ],
    skip_to_content => ["Asosiy mazmunga o'tish", "Асосий мазмунга ўтиш", "Перейти к содержанию", "Skip to content"],
    nav_home => ["Bosh sahifa", "Бош саҳифа", "Главная", "Home"],
    nav_registry => ["Reestr", "Реестр", "Реестр", "Registry"],
    nav_users => ["Foydalanuvchilar", "Фойдаланувчилар", "Пользователи", "Users"],
    nav_audit => ["Audit jurnali", "Аудит журнали", "Журнал аудита", "Audit log"],
    nav_account => ["Hisobim", "Ҳисобим", "Мой профиль", "My account"],
    nav_main => ["Asosiy navigatsiya", "Асосий навигация", "Основная навигация", "Main navigation"],
    sign_in => ["Kirish", "Кириш", "Войти", "Sign in"],
    sign_out => ["Chiqish", "Чиқиш", "Выйти", "Sign out"],
    signed_in_as => ["Kirgan foydalanuvchi", "Кирган фойдаланувчи", "Вы вошли как", "Signed in as"],
    email => ["Elektron pochta", "Электрон почта", "Электронная почта", "E-mail"],
    password => ["Parol", "Парол", "Пароль", "Password"],
    sign_in_title => ["Tizimga kirish", "Тизимга кириш", "Вход в систему", "Sign in to Daraja"],
    sign_in_help => [
        "Vazirlik xodimlari, raqamlashtirish bo'yicha rahbarlar va hudud mas'ullari uchun.",
        "Вазирлик ходимлари, рақамлаштириш бўйича раҳбарлар ва ҳудуд масъуллари учун.",
        "Для сотрудников министерства, руководителей по цифровизации и ответственных от территорий.",
        "For ministry staff, chief digital officers and district officers.",
    ],
    language => ["Til", "Тил", "Язык", "Language"],
    change_language => ["Tilni o'zgartirish", "Тилни ўзгартириш", "Сменить язык", "Change language"],
    not_found_title => ["Sahifa topilmadi", "Саҳифа топилмади", "Страница не найдена", "Page not found"],
    not_found_text => [
        "Bunday manzil yo'q. Bosh sahifadan boshlang.",
        "Бундай манзил йўқ. Бош саҳифадан бошланг.",
        "Такого адреса нет. Начните с главной страницы.",
        "There is no such address. Start from the home page.",
    ],
    error_title => ["Xatolik", "Хатолик", "Ошибка", "Something went wrong"],
    forbidden => [
        "Bu sahifa sizning rolingiz uchun emas.",
        "Бу саҳифа сизнинг ролингиз учун эмас.",
        "Эта страница недоступна для вашей роли.",
        "This page is not available to your role.",
    ],
    need_sign_in => ["Avval tizimga kiring.", "Аввал тизимга киринг.", "Сначала войдите в систему.", "Please sign in first."],
    loading => ["Yuklanmoqda…", "Юкланмоқда…", "Загрузка…", "Loading…"],
    // Home
    home_public_title => ["Raqamlashtirish reytingi", "Рақамлаштириш рейтинги", "Рейтинг цифровизации", "Digitalization rating"],
    home_public_intro => [
        "Davlat organlari, xo'jalik boshqaruvi organlari, hududlar, tumanlar va shaharlarning raqamlashtirish darajasi baholanadi.",
        "Давлат органлари, хўжалик бошқаруви органлари, ҳудудлар, туманлар ва шаҳарларнинг рақамлаштириш даражаси баҳоланади.",
        "Оценивается уровень цифровизации государственных органов, органов хозяйственного управления, регионов, районов и городов.",
        "The digitalization of state bodies, economic management bodies, regions, districts and cities is assessed and rated.",
    ],
    home_next_title => ["Keyingi qadamlar", "Кейинги қадамлар", "Что делать дальше", "What to do next"],
    home_admin_next => [
        "Foydalanuvchilarni taklif qiling, rollarni bering va reestrni yangilab boring.",
        "Фойдаланувчиларни таклиф қилинг, ролларни беринг ва реестрни янгилаб боринг.",
        "Пригласите пользователей, выдайте роли и поддерживайте реестр в актуальном состоянии.",
        "Invite users, grant roles and keep the registry up to date.",
    ],
    home_methodologist_next => [
        "Metodika versiyalarini ko'rib chiqing va yangi baholash kampaniyasini tayyorlang.",
        "Методика версияларини кўриб чиқинг ва янги баҳолаш кампаниясини тайёрланг.",
        "Просмотрите версии методики и подготовьте новую кампанию оценки.",
        "Review the methodology versions and prepare the next assessment campaign.",
    ],
    home_reviewer_next => [
        "Topshirilgan ma'lumotlarni ko'rib chiqish navbatini oching.",
        "Топширилган маълумотларни кўриб чиқиш навбатини очинг.",
        "Откройте очередь поданных данных на проверку.",
        "Open the review queue of submitted data.",
    ],
    home_publisher_next => [
        "Reyting loyihasini tekshiring va e'lon qiling.",
        "Рейтинг лойиҳасини текширинг ва эълон қилинг.",
        "Проверьте проект рейтинга и опубликуйте его.",
        "Check the draft rating and publish it.",
    ],
    home_cdo_next => [
        "Tashkilotingiz ko'rsatkichlarini to'ldiring va dalillarni biriktiring.",
        "Ташкилотингиз кўрсаткичларини тўлдиринг ва далилларни бириктиринг.",
        "Заполните показатели вашей организации и приложите подтверждения.",
        "Fill in your organization's indicators and attach the evidence.",
    ],
    home_district_next => [
        "Hududingiz ko'rsatkichlarini to'ldiring va hisobot kartasini yuklab oling.",
        "Ҳудудингиз кўрсаткичларини тўлдиринг ва ҳисобот картасини юклаб олинг.",
        "Заполните показатели вашей территории и скачайте её карточку.",
        "Fill in your territory's indicators and download its report card.",
    ],
    home_viewer_next => [
        "Reestr va e'lon qilingan reytinglarni ko'rib chiqing.",
        "Реестр ва эълон қилинган рейтингларни кўриб чиқинг.",
        "Просматривайте реестр и опубликованные рейтинги.",
        "Browse the registry and the published ratings.",
    ],
    your_entity => ["Sizning tashkilotingiz", "Сизнинг ташкилотингиз", "Ваша организация", "Your entity"],
    role_label => ["Rol", "Рол", "Роль", "Role"],
    latest_rating => ["So'nggi e'lon qilingan reyting", "Сўнгги эълон қилинган рейтинг", "Последний опубликованный рейтинг", "Latest published rating"],
    no_rating_yet => ["Hali e'lon qilingan reyting yo'q.", "Ҳали эълон қилинган рейтинг йўқ.", "Опубликованных рейтингов пока нет.", "No rating has been published yet."],
    // Roles
    role_admin => ["Administrator", "Администратор", "Администратор", "Administrator"],
    role_methodologist => ["Metodist", "Методист", "Методолог", "Methodologist"],
    role_reviewer => ["Tekshiruvchi", "Текширувчи", "Проверяющий", "Reviewer"],
    role_publisher => ["Nashr qiluvchi", "Нашр қилувчи", "Публикатор", "Publisher"],
    role_cdo => ["Raqamlashtirish bo'yicha rahbar (CDO)", "Рақамлаштириш бўйича раҳбар (CDO)", "Руководитель по цифровизации (CDO)", "Chief Digital Officer"],
    role_district => ["Hudud mas'uli", "Ҳудуд масъули", "Ответственный от территории", "District officer"],
    role_viewer => ["Kuzatuvchi", "Кузатувчи", "Наблюдатель", "Viewer"],
    // Kinds
    kind_state_body => ["Davlat organlari", "Давлат органлари", "Государственные органы", "State bodies"],
    kind_economic_body => ["Xo'jalik boshqaruvi organlari", "Хўжалик бошқаруви органлари", "Органы хозяйственного управления", "Economic management bodies"],
    kind_region => ["Hududlar", "Ҳудудлар", "Регионы", "Regions"],
    kind_district => ["Tumanlar va shaharlar", "Туманлар ва шаҳарлар", "Районы и города", "Districts and cities"],
    all_kinds => ["Barcha turlar", "Барча турлар", "Все виды", "All kinds"],
    // Bands
    band_good => ["Yaxshi", "Яхши", "Хорошо", "Good"],
    band_satisfactory => ["Qoniqarli", "Қониқарли", "Удовлетворительно", "Satisfactory"],
    band_unsatisfactory => ["Qoniqarsiz", "Қониқарсиз", "Неудовлетворительно", "Unsatisfactory"],
    // Registry
    registry_title => ["Tashkilotlar va hududlar reestri", "Ташкилотлар ва ҳудудлар реестри", "Реестр организаций и территорий", "Registry of bodies and territories"],
    search => ["Qidirish", "Қидириш", "Поиск", "Search"],
    search_hint => [
        "Istalgan tildagi nom, SOATO yoki STIR",
        "Исталган тилдаги ном, СОАТО ёки СТИР",
        "Название на любом языке, СОАТО или ИНН",
        "Name in any language, SOATO or TIN",
    ],
    kind => ["Turi", "Тури", "Вид", "Kind"],
    include_retired => ["Tugatilganlarini ham ko'rsatish", "Тугатилганларини ҳам кўрсатиш", "Показывать упразднённые", "Show retired"],
    name => ["Nomi", "Номи", "Название", "Name"],
    code => ["Kod", "Код", "Код", "Code"],
    parent => ["Yuqori tashkilot", "Юқори ташкилот", "Вышестоящая организация", "Parent"],
    results_count => ["Topildi", "Топилди", "Найдено", "Found"],
    no_results => ["Hech narsa topilmadi.", "Ҳеч нарса топилмади.", "Ничего не найдено.", "Nothing found."],
    previous_page => ["Oldingi", "Олдинги", "Назад", "Previous"],
    next_page => ["Keyingi", "Кейинги", "Далее", "Next"],
    soato => ["SOATO", "СОАТО", "СОАТО", "SOATO"],
    tin => ["STIR", "СТИР", "ИНН", "TIN"],
    iso_code => ["ISO 3166-2", "ISO 3166-2", "ISO 3166-2", "ISO 3166-2"],
    subkind_label => ["Shakli", "Шакли", "Тип", "Type"],
    website => ["Veb-sayt", "Веб-сайт", "Веб-сайт", "Website"],
    valid_from => ["Amal qila boshlagan sana", "Амал қила бошлаган сана", "Действует с", "Valid from"],
    valid_to => ["Amal qilish tugagan sana", "Амал қилиш тугаган сана", "Действует по", "Valid to"],
    retired => ["Tugatilgan", "Тугатилган", "Упразднён", "Retired"],
    children => ["Tarkibidagilar", "Таркибидагилар", "В составе", "Within it"],
    add_entity => ["Yangi qo'shish", "Янги қўшиш", "Добавить", "Add entity"],
    edit_entity => ["Tahrirlash", "Таҳрирлаш", "Редактировать", "Edit"],
    retire_entity => ["Tugatish", "Тугатиш", "Упразднить", "Retire"],
    save => ["Saqlash", "Сақлаш", "Сохранить", "Save"],
    saved => ["Saqlandi.", "Сақланди.", "Сохранено.", "Saved."],
    reason => ["Sabab", "Сабаб", "Причина", "Reason"],
    name_uz_latn => ["Nomi (o'zbekcha, lotin)", "Номи (ўзбекча, лотин)", "Название (узбекский, латиница)", "Name (Uzbek, Latin)"],
    name_uz_cyrl => ["Nomi (o'zbekcha, kirill)", "Номи (ўзбекча, кирилл)", "Название (узбекский, кириллица)", "Name (Uzbek, Cyrillic)"],
    name_ru => ["Nomi (ruscha)", "Номи (русча)", "Название (русский)", "Name (Russian)"],
    name_en => ["Nomi (inglizcha)", "Номи (инглизча)", "Название (английский)", "Name (English)"],
    parent_code => ["Yuqori tashkilot kodi", "Юқори ташкилот коди", "Код вышестоящей организации", "Parent code"],
    // Users
    users_title => ["Foydalanuvchilar va rollar", "Фойдаланувчилар ва роллар", "Пользователи и роли", "Users and roles"],
    display_name => ["F.I.Sh.", "Ф.И.Ш.", "Ф.И.О.", "Full name"],
    create_user => ["Foydalanuvchi yaratish", "Фойдаланувчи яратиш", "Создать пользователя", "Create user"],
    initial_password => ["Boshlang'ich parol", "Бошланғич парол", "Начальный пароль", "Initial password"],
    grant_role => ["Rol berish", "Рол бериш", "Выдать роль", "Grant role"],
    revoke => ["Bekor qilish", "Бекор қилиш", "Отозвать", "Revoke"],
    reset_password => ["Parolni tiklash", "Паролни тиклаш", "Сбросить пароль", "Reset password"],
    new_password => ["Yangi parol", "Янги парол", "Новый пароль", "New password"],
    current_password => ["Joriy parol", "Жорий парол", "Текущий пароль", "Current password"],
    change_password => ["Parolni o'zgartirish", "Паролни ўзгартириш", "Сменить пароль", "Change password"],
    password_rules => [
        "Kamida 10 belgi; harflar bilan birga raqam yoki belgi.",
        "Камида 10 белги; ҳарфлар билан бирга рақам ёки белги.",
        "Не менее 10 символов; буквы вместе с цифрами или знаками.",
        "At least 10 characters; letters mixed with digits or symbols.",
    ],
    entity_code_hint => [
        "CDO uchun tashkilot kodi yoki STIR, hudud mas'uli uchun SOATO",
        "CDO учун ташкилот коди ёки СТИР, ҳудуд масъули учун СОАТО",
        "Для CDO — код организации или ИНН, для ответственного от территории — СОАТО",
        "Organization code or TIN for a CDO, SOATO for a district officer",
    ],
    entity => ["Tashkilot yoki hudud", "Ташкилот ёки ҳудуд", "Организация или территория", "Entity"],
    active => ["Faol", "Фаол", "Активен", "Active"],
    disable => ["O'chirish", "Ўчириш", "Отключить", "Disable"],
    enable => ["Yoqish", "Ёқиш", "Включить", "Enable"],
    actions => ["Amallar", "Амаллар", "Действия", "Actions"],
    // Audit
    audit_title => ["Audit jurnali", "Аудит журнали", "Журнал аудита", "Audit log"],
    when => ["Qachon", "Қачон", "Когда", "When"],
    who => ["Kim", "Ким", "Кто", "Who"],
    action => ["Amal", "Амал", "Действие", "Action"],
    object => ["Obyekt", "Объект", "Объект", "Object"],
    change => ["O'zgarish", "Ўзгариш", "Изменение", "Change"],
    filter => ["Saralash", "Саралаш", "Фильтр", "Filter"],
    history => ["Tarix", "Тарих", "История", "History"],
    // Subkinds of registry entities
    sub_region => ["Viloyat", "Вилоят", "Область", "Region"],
    sub_autonomous_republic => ["Avtonom respublika", "Автоном республика", "Автономная республика", "Autonomous republic"],
    sub_city_of_republican_significance => ["Respublika ahamiyatidagi shahar", "Республика аҳамиятидаги шаҳар", "Город республиканского значения", "City of republican significance"],
    sub_district => ["Tuman", "Туман", "Район", "District"],
    sub_district_level_city => ["Tuman darajasidagi shahar", "Туман даражасидаги шаҳар", "Город районного значения", "District-level city"],
    sub_city_district => ["Shahar tumani", "Шаҳар тумани", "Район города", "City district"],
    sub_ministry => ["Vazirlik", "Вазирлик", "Министерство", "Ministry"],
    sub_state_committee => ["Davlat qo'mitasi", "Давлат қўмитаси", "Государственный комитет", "State committee"],
    sub_agency => ["Agentlik", "Агентлик", "Агентство", "Agency"],
    sub_inspection => ["Inspeksiya", "Инспекция", "Инспекция", "Inspection"],
    sub_court => ["Sud", "Суд", "Суд", "Court"],
    sub_other_state_body => ["Boshqa davlat organi", "Бошқа давлат органи", "Иной государственный орган", "Other state body"],
    sub_company => ["Kompaniya", "Компания", "Компания", "Company"],
    sub_joint_stock_company => ["Aksiyadorlik jamiyati", "Акциядорлик жамияти", "Акционерное общество", "Joint-stock company"],
    sub_association => ["Uyushma", "Уюшма", "Ассоциация", "Association"],
    sub_holding => ["Xolding", "Холдинг", "Холдинг", "Holding"],
    // Ratings
    nav_ratings => ["Reyting", "Рейтинг", "Рейтинг", "Ratings"],
    distribution => ["Baholar taqsimoti", "Баҳолар тақсимоти", "Распределение оценок", "Distribution of marks"],
    assessed => ["baholandi", "баҳоланди", "оценено", "assessed"],
    rank => ["O'rin", "Ўрин", "Место", "Rank"],
    rank_interval => ["O'rin oralig'i (5–95%)", "Ўрин оралиғи (5–95%)", "Интервал места (5–95%)", "Rank interval (5–95%)"],
    index => ["Indeks", "Индекс", "Индекс", "Index"],
    band => ["Baho", "Баҳо", "Оценка", "Mark"],
    change_vs_previous => ["O'zgarish", "Ўзгариш", "Изменение", "Change"],
    published_on => ["E'lon qilingan", "Эълон қилинган", "Опубликовано", "Published on"],
    nav_methodologies => ["Metodikalar", "Методикалар", "Методики", "Methodologies"],
    methodology_versions => ["Metodika versiyalari", "Методика версиялари", "Версии методик", "Methodology versions"],
    version => ["Versiya", "Версия", "Версия", "Version"],
    applies_to => ["Kimlarga", "Кимларга", "Применяется к", "Applies to"],
    indicator_count => ["Ko'rsatkichlar", "Кўрсаткичлар", "Показателей", "Indicators"],
    weight => ["Vazn", "Вазн", "Вес", "Weight"],
    scoring_rule => ["Baholash qoidasi", "Баҳолаш қоидаси", "Правило оценки", "Scoring rule"],
    indicator_tree => ["Ko'rsatkichlar daraxti", "Кўрсаткичлар дарахти", "Дерево показателей", "Indicator tree"],
    bands_heading => ["Baholar chegaralari", "Баҳолар чегаралари", "Границы оценок", "Bands"],
    changes_since => ["Oldingi versiyadan o'zgarishlar", "Олдинги версиядан ўзгаришлар", "Изменения с предыдущей версии", "Changes since the previous version"],
    comparable_yes => ["Moslik jadvali e'lon qilingan: natijalarni solishtirish mumkin.", "Мослик жадвали эълон қилинган: натижаларни солиштириш мумкин.", "Объявлена таблица соответствия: результаты сопоставимы.", "A crosswalk is declared: results are comparable."],
    comparable_no => ["Moslik jadvali yo'q: natijalar solishtirilmaydi.", "Мослик жадвали йўқ: натижалар солиштирилмайди.", "Таблицы соответствия нет: результаты несопоставимы.", "No crosswalk: results are not comparable."],
    first_version => ["Bu birinchi versiya.", "Бу биринчи версия.", "Это первая версия.", "This is the first version."],
    required_short => ["majburiy", "мажбурий", "обязательно", "required"],
    evidence_short => ["dalil", "далил", "подтверждение", "evidence"],
    missing_policy => ["Ma'lumot yo'q bo'lsa", "Маълумот йўқ бўлса", "При отсутствии данных", "When data are missing"],
    rating_history => ["Reytinglar tarixi", "Рейтинглар тарихи", "История рейтинга", "Rating history"],
    improve_first => ["Avvalo nimani yaxshilash kerak", "Аввало нимани яхшилаш керак", "Что улучшить в первую очередь", "What to improve first"],
    league_average => ["Reyting o'rtachasi", "Рейтинг ўртачаси", "Среднее по рейтингу", "League average"],
    score_label => ["Ball", "Балл", "Балл", "Score"],
    period_label => ["Davr", "Давр", "Период", "Period"],
    not_comparable_break => ["Uzilish: metodika moslik jadvalisiz o'zgargan.", "Узилиш: методика мослик жадвалисиз ўзгарган.", "Разрыв: методика изменилась без таблицы соответствия.", "Break: the methodology changed without a crosswalk."],
    points_gain => ["ball", "балл", "балла", "points"],
    not_rated_yet => ["Bu tashkilot hali e'lon qilingan reytingda yo'q.", "Бу ташкилот ҳали эълон қилинган рейтингда йўқ.", "Этой организации ещё нет в опубликованных рейтингах.", "Not yet in a published rating."],
    region_pack => ["Tumanlar to'plami (Excel)", "Туманлар тўплами (Excel)", "Пакет по районам (Excel)", "Districts pack (Excel)"],
    what_if => ["Agar shunday bo'lsa? (sinov)", "Агар шундай бўлса? (синов)", "Что если? (песочница)", "What if? (sandbox)"],
    what_if_note => ["Vaznlar va chegaralarni o'zgartiring: brauzer e'lon qilingan ballarni qayta hisoblaydi. E'lon qilingan raqamlar o'zgarmaydi.", "Вазнлар ва чегараларни ўзгартиринг: браузер эълон қилинган балларни қайта ҳисоблайди. Эълон қилинган рақамлар ўзгармайди.", "Меняйте веса и пороги: браузер пересчитывает опубликованные баллы. Опубликованные числа не меняются.", "Move the weights and thresholds: your browser re-scores the published scores. Published numbers never change."],
    weights_heading => ["Yo'nalishlar vazni", "Йўналишлар вазни", "Веса направлений", "Domain weights"],
    thresholds_heading => ["Baho chegaralari", "Баҳо чегаралари", "Пороги оценок", "Band thresholds"],
    reset => ["Asliga qaytarish", "Аслига қайтариш", "Сбросить", "Reset"],
    published_rank => ["E'lon qilingan o'rin", "Эълон қилинган ўрин", "Опубликованное место", "Published rank"],
    new_rank => ["Yangi o'rin", "Янги ўрин", "Новое место", "New rank"],
    rounds => ["Baholash bosqichlari", "Баҳолаш босқичлари", "Раунды оценки", "Assessment rounds"],
    downloads => ["Yuklab olish", "Юклаб олиш", "Скачать", "Download"],
    excel_workbook => ["Excel kitobi", "Excel китоби", "Книга Excel", "Excel workbook"],
    report_card => ["Hisobot kartasi (Excel)", "Ҳисобот картаси (Excel)", "Отчётная карточка (Excel)", "Report card (Excel)"],
    revision => ["Tahrir", "Таҳрир", "Редакция", "Revision"],
    methodology => ["Metodika", "Методика", "Методика", "Methodology"],
    league_table => ["Reyting jadvali", "Рейтинг жадвали", "Рейтинговая таблица", "League table"],
    region => ["Hudud", "Ҳудуд", "Регион", "Region"],
    act_date => ["Sana", "Сана", "Дата", "Date"],
    act_link => ["Matnga havola", "Матнга ҳавола", "Ссылка на текст", "Link to text"],
    act_number => ["Raqami", "Рақами", "Номер", "Number"],
    act_type => ["Hujjat turi", "Ҳужжат тури", "Вид акта", "Type of act"],
    act_type_optional => ["Hujjat turi (normativ hujjat bo'lsa)", "Ҳужжат тури (норматив ҳужжат бўлса)", "Вид акта (если это правовой акт)", "Type of act (if a legal act)"],
    add_evidence => ["Dalil qo'shish", "Далил қўшиш", "Добавить подтверждение", "Add evidence"],
    adjusted_to => ["Tekshiruvchi tuzatgan qiymat", "Текширувчи тузатган қиймат", "Значение после корректировки", "Adjusted by the reviewer to"],
    after => ["Keyin", "Кейин", "После", "After"],
    all => ["Hammasi", "Ҳаммаси", "Все", "All"],
    answered => ["Javob berilgan", "Жавоб берилган", "Отвечено", "Answered"],
    answers => ["Javoblar", "Жавоблар", "Ответы", "Answers"],
    appeal_until => ["Apellyatsiya muddati", "Апелляция муддати", "Апелляции до", "Appeals until"],
    apply => ["Qo'llash", "Қўллаш", "Применить", "Apply"],
    approve => ["Tasdiqlash", "Тасдиқлаш", "Утвердить", "Approve"],
    attach => ["Biriktirish", "Бириктириш", "Прикрепить", "Attach"],
    before => ["Oldin", "Олдин", "До", "Before"],
    blocking => ["Yuborishga to'sqinlik qiladi", "Юборишга тўсқинлик қилади", "Блокируют отправку", "Blocking submission"],
    by_region => ["Hududlar bo'yicha", "Ҳудудлар бўйича", "По регионам", "By region"],
    campaign => ["Baholash bosqichi", "Баҳолаш босқичи", "Кампания", "Campaign"],
    campaigns_title => ["Baholash bosqichlari", "Баҳолаш босқичлари", "Кампании оценки", "Assessment campaigns"],
    computed => ["(boshqa javoblardan hisoblanadi)", "(бошқа жавоблардан ҳисобланади)", "(вычисляется из других ответов)", "(computed from other answers)"],
    conflict_title => ["Bu qiymatni boshqa birov saqlab qo'ydi. Hech narsa ustidan yozilmadi: qaysi birini qoldirishni tanlang.", "Бу қийматни бошқа бирор сақлаб қўйди. Ҳеч нарса устидан ёзилмади: қайси бирини қолдиришни танланг.", "Это значение уже сохранил кто-то другой. Ничего не перезаписано: выберите, какое оставить.", "Someone else saved this value. Nothing was overwritten: choose which to keep."],
    corrected_value => ["To'g'rilangan qiymat", "Тўғриланган қиймат", "Исправленное значение", "Corrected value"],
    create_draft => ["Qoralama yaratish", "Қоралама яратиш", "Создать черновик", "Create draft"],
    cs_appeals => ["Apellyatsiyalar", "Апелляциялар", "Апелляции", "Appeals"],
    cs_closed => ["Yopilgan", "Ёпилган", "Закрыта", "Closed"],
    cs_draft => ["Qoralama", "Қоралама", "Черновик", "Draft"],
    cs_final => ["Yakuniy", "Якуний", "Итоговая", "Final"],
    cs_open => ["Ochiq", "Очиқ", "Открыта", "Open"],
    cs_provisional => ["Dastlabki natijalar", "Дастлабки натижалар", "Предварительные итоги", "Provisional results"],
    cs_under_review => ["Tekshiruvda", "Текширувда", "На проверке", "Under review"],
    deadline => ["Muddat", "Муддат", "Срок", "Deadline"],
    decision => ["Qaror", "Қарор", "Решение", "Decision"],
    due_now => ["Topshirish kerak", "Топшириш керак", "Нужно сдать", "Due now"],
    evidence => ["Dalillar", "Далиллар", "Подтверждения", "Evidence"],
    extend_deadline => ["Muddatni uzaytirish", "Муддатни узайтириш", "Продлить срок", "Extend deadline"],
    extended => ["(uzaytirilgan)", "(узайтирилган)", "(продлён)", "(extended)"],
    flagged => ["Belgilangan", "Белгиланган", "С пометками", "Flagged"],
    flagged_only => ["Faqat belgilanganlar", "Фақат белгиланганлар", "Только с пометками", "Flagged only"],
    form_read_only => ["Shakl faqat o'qish uchun: uni faqat tashkilotning o'z mas'ul xodimi va muddat ichida tahrirlaydi.", "Шакл фақат ўқиш учун: уни фақат ташкилотнинг ўз масъул ходими ва муддат ичида таҳрирлайди.", "Форма только для чтения: её редактирует ответственный сотрудник организации и только до срока.", "Read-only: only the entity's own officer edits it, and only before the deadline."],
    form_submitted_note => ["Yuborildi. Tekshiruvchi qaytarmaguncha shakl faqat o'qish uchun.", "Юборилди. Текширувчи қайтармагунча шакл фақат ўқиш учун.", "Отправлено. Форма доступна только для чтения, пока проверяющий её не вернёт.", "Submitted. The form is read-only unless a reviewer returns it."],
    include_decided => ["Qaytarilgan va tasdiqlanganlar ham", "Қайтарилган ва тасдиқланганлар ҳам", "Включая возвращённые и утверждённые", "Include returned and approved"],
    incomplete => ["To'liq emas: barcha maydonlarni to'ldiring", "Тўлиқ эмас: барча майдонларни тўлдиринг", "Не полностью: заполните все поля", "Incomplete: fill in every part"],
    issue_evidence_missing => ["Dalil biriktirilmagan", "Далил бириктирилмаган", "Нет подтверждения", "Evidence missing"],
    issue_other => ["Muammo", "Муаммо", "Проблема", "Problem"],
    issue_out_of_range => ["Ruxsat etilgan oraliqdan tashqarida", "Рухсат этилган оралиқдан ташқарида", "Вне допустимого диапазона", "Out of range"],
    issue_outlier_peers => ["Boshqalarnikidan keskin farq qiladi", "Бошқаларникидан кескин фарқ қилади", "Сильно отличается от других", "Far from its peers"],
    issue_outlier_previous => ["O'tgan davrdan keskin farq qiladi", "Ўтган даврдан кескин фарқ қилади", "Сильно отличается от прошлого периода", "Far from last period"],
    issue_required => ["Javob talab qilinadi", "Жавоб талаб қилинади", "Требуется ответ", "Answer required"],
    issue_rule => ["Tekshiruv qoidasi buzilgan", "Текширув қоидаси бузилган", "Нарушено правило проверки", "Check rule broken"],
    justified => ["(izohlangan)", "(изоҳланган)", "(обосновано)", "(justified)"],
    justify_below => ["quyidagi izohda asoslang", "қуйидаги изоҳда асосланг", "обоснуйте в примечании ниже", "justify it in the note below"],
    keep_theirs => ["Ularnikini qoldirish", "Уларникини қолдириш", "Оставить их версию", "Keep theirs"],
    late => ["Kechikkan", "Кечиккан", "С опозданием", "Late"],
    late_only => ["Faqat kechikkanlar", "Фақат кечикканлар", "Только с опозданием", "Late only"],
    link => ["Havola", "Ҳавола", "Ссылка", "Link"],
    locked_by_feed => ["Avtomatik manbadan: qo'lda tahrirlab bo'lmaydi.", "Автоматик манбадан: қўлда таҳрирлаб бўлмайди.", "Из автоматического источника: ручное изменение запрещено.", "From an automatic feed: locked against manual edits."],
    methodology_version => ["Metodika versiyasi", "Методика версияси", "Версия методики", "Methodology version"],
    move_to => ["O'tkazish", "Ўтказиш", "Перевести", "Move to"],
    needs_justification => ["Izoh talab qiladi", "Изоҳ талаб қилади", "Нужно обоснование", "Needs a justification"],
    new_campaign => ["Yangi baholash bosqichi", "Янги баҳолаш босқичи", "Новая кампания", "New campaign"],
    no => ["Yo'q", "Йўқ", "Нет", "No"],
    no_campaigns => ["Hozircha baholash bosqichlari yo'q.", "Ҳозирча баҳолаш босқичлари йўқ.", "Кампаний пока нет.", "No campaigns yet."],
    no_problems => ["Muammo yo'q.", "Муаммо йўқ.", "Проблем нет.", "No problems."],
    note_or_justification => ["Izoh yoki asoslash", "Изоҳ ёки асослаш", "Примечание или обоснование", "Note or justification"],
    nothing_due => ["Hozir topshirish kerak bo'lgan narsa yo'q.", "Ҳозир топшириш керак бўлган нарса йўқ.", "Сейчас сдавать нечего.", "Nothing is due now."],
    opens_on => ["Ochilish sanasi", "Очилиш санаси", "Открывается", "Opens on"],
    overdue => ["Muddati o'tgan", "Муддати ўтган", "Просрочено", "Overdue"],
    overdue_only => ["Faqat muddati o'tganlar", "Фақат муддати ўтганлар", "Только просроченные", "Overdue only"],
    participants => ["Ishtirokchilar", "Иштирокчилар", "Участники", "Participants"],
    pending_values => ["Ko'rib chiqilmagan qiymatlar", "Кўриб чиқилмаган қийматлар", "Непроверенные значения", "Values pending"],
    period => ["Davr", "Давр", "Период", "Period"],
    pick_all => ["Shu turdagi barcha amaldagilar", "Шу турдаги барча амалдагилар", "Все действующие этого вида", "Everyone of this kind in force"],
    pick_region => ["Bitta viloyat (SOATO kodi)", "Битта вилоят (СОАТО коди)", "Один регион (код СОАТО)", "One region (SOATO code)"],
    pick_codes => ["Ro'yxat bo'yicha kodlar", "Рўйхат бўйича кодлар", "Коды списком", "Listed codes"],
    prefilled_note => ["O'tgan bosqichdan olingan: tekshiring va tasdiqlash uchun o'zgartiring.", "Ўтган босқичдан олинган: текширинг ва тасдиқлаш учун ўзгартиринг.", "Перенесено из прошлой кампании: проверьте и измените, чтобы подтвердить.", "Carried over from the previous campaign: check it, edit to confirm."],
    problems => ["Muammolar", "Муаммолар", "Проблемы", "Problems"],
    progress => ["Bajarilishi", "Бажарилиши", "Прогресс", "Progress"],
    queue_empty => ["Navbat bo'sh.", "Навбат бўш.", "Очередь пуста.", "The queue is empty."],
    ra_accept => ["Qabul qilish", "Қабул қилиш", "Принять", "Accept"],
    ra_adjust => ["Tuzatish", "Тузатиш", "Скорректировать", "Adjust"],
    ra_comment => ["Izoh", "Изоҳ", "Комментарий", "Comment"],
    ra_reject => ["Rad etish", "Рад этиш", "Отклонить", "Reject"],
    reason_optional => ["Sabab (ixtiyoriy)", "Сабаб (ихтиёрий)", "Причина (необязательно)", "Reason (optional)"],
    record_verdict => ["Saqlash", "Сақлаш", "Записать", "Record"],
    region_code => ["Viloyat kodi", "Вилоят коди", "Код региона", "Region code"],
    reminded => ["Eslatma yuborildi", "Эслатма юборилди", "Напоминания отправлены", "Reminders queued"],
    reminders => ["Eslatmalar", "Эслатмалар", "Напоминания", "Reminders"],
    reminders_sent => ["Yuborilgan eslatmalar", "Юборилган эслатмалар", "Отправлено напоминаний", "Reminder rounds sent"],
    remove => ["Olib tashlash", "Олиб ташлаш", "Удалить", "Remove"],
    reply => ["Javob berish", "Жавоб бериш", "Ответить", "Reply"],
    required => ["Majburiy", "Мажбурий", "Обязательно", "Required"],
    return_for_revision => ["Qayta ishlashga qaytarish", "Қайта ишлашга қайтариш", "Вернуть на доработку", "Return for revision"],
    review_comments => ["Tekshiruvchi izohlari", "Текширувчи изоҳлари", "Комментарии проверки", "Review comments"],
    review_deadline => ["Tekshiruv muddati", "Текширув муддати", "Срок проверки", "Review deadline"],
    review_queue => ["Tekshiruv navbati", "Текширув навбати", "Очередь проверки", "Review queue"],
    rv_accepted => ["Qabul qilingan", "Қабул қилинган", "Принято", "Accepted"],
    rv_adjusted => ["Tuzatilgan", "Тузатилган", "Скорректировано", "Adjusted"],
    rv_pending => ["Kutilmoqda", "Кутилмоқда", "Ожидает", "Pending"],
    rv_rejected => ["Rad etilgan", "Рад этилган", "Отклонено", "Rejected"],
    saving => ["Saqlanmoqda…", "Сақланмоқда…", "Сохранение…", "Saving…"],
    sections => ["Bo'limlar", "Бўлимлар", "Разделы", "Sections"],
    send => ["Yuborish", "Юбориш", "Отправить", "Send"],
    send_reminders => ["Topshirmaganlarga eslatma", "Топширмаганларга эслатма", "Напомнить не сдавшим", "Remind those who have not submitted"],
    sort_by => ["Saralash", "Саралаш", "Сортировка", "Sort by"],
    source => ["Manba", "Манба", "Источник", "Source"],
    ss_approved => ["Tasdiqlangan", "Тасдиқланган", "Утверждено", "Approved"],
    ss_in_progress => ["To'ldirilmoqda", "Тўлдирилмоқда", "Заполняется", "In progress"],
    ss_not_started => ["Boshlanmagan", "Бошланмаган", "Не начато", "Not started"],
    ss_returned => ["Qaytarilgan", "Қайтарилган", "Возвращено", "Returned"],
    ss_submitted => ["Yuborilgan", "Юборилган", "Отправлено", "Submitted"],
    status => ["Holati", "Ҳолати", "Статус", "Status"],
    submit_for_review => ["Tekshiruvga yuborish", "Текширувга юбориш", "Отправить на проверку", "Submit for review"],
    submit_title => ["Yuborish", "Юбориш", "Отправка", "Submit"],
    submitted_at => ["Yuborilgan vaqti", "Юборилган вақти", "Отправлено", "Submitted at"],
    theirs => ["Saqlangan", "Сақланган", "Сохранено", "Saved now"],
    until => ["Qaysi sanagacha", "Қайси санагача", "До", "Until"],
    use_mine => ["Meniki bilan almashtirish", "Меники билан алмаштириш", "Заменить моим", "Use mine"],
    verdict => ["Qaror", "Қарор", "Вердикт", "Verdict"],
    what => ["Nima", "Нима", "Что", "What"],
    ap_pending => ["Ko'rib chiqilmoqda", "Кўриб чиқилмоқда", "На рассмотрении", "Pending"],
    ap_rejected => ["Rad etildi", "Рад этилди", "Отклонена", "Rejected"],
    ap_upheld => ["Qanoatlantirildi", "Қаноатлантирилди", "Удовлетворена", "Upheld"],
    appeal_body => ["Nima noto'g'ri va nima uchun", "Нима нотўғри ва нима учун", "Что неверно и почему", "What is wrong and why"],
    appeal_file => ["Apellyatsiya berish", "Апелляция бериш", "Подать апелляцию", "File an appeal"],
    appeal_indicator => ["E'tiroz bildirilgan ko'rsatkich", "Эътироз билдирилган кўрсаткич", "Оспариваемый показатель", "Indicator disputed"],
    appeal_window => ["Apellyatsiyalar qabul qilinadi (gacha)", "Апелляциялар қабул қилинади (гача)", "Апелляции принимаются до", "Appeals are accepted until"],
    appeals => ["Apellyatsiyalar", "Апелляциялар", "Апелляции", "Appeals"],
    current_value => ["Hozirgi qiymat", "Ҳозирги қиймат", "Текущее значение", "Value now"],
    decide => ["Qaror qabul qilish", "Қарор қабул қилиш", "Решить", "Decide"],
    embargo_until => ["Embargo tugashi (Toshkent vaqti)", "Эмбарго тугаши (Тошкент вақти)", "Эмбарго до (время Ташкента)", "Embargo until (Tashkent time)"],
    evidence_link => ["Dalil havolasi", "Далил ҳаволаси", "Ссылка на подтверждение", "Evidence link"],
    filed => ["Berilgan", "Берилган", "Подана", "Filed"],
    changelog => ["O'zgarishlar qaydi (tuzatish uchun majburiy)", "Ўзгаришлар қайди (тузатиш учун мажбурий)", "Запись об изменениях (обязательна для исправления)", "Changelog (required for a correction)"],
    no_appeals => ["Apellyatsiyalar yo'q.", "Апелляциялар йўқ.", "Апелляций нет.", "No appeals."],
    not_rated => ["baholanmagan", "баҳоланмаган", "без оценки", "not rated"],
    outcome => ["Natija", "Натижа", "Решение", "Outcome"],
    proposed_value => ["Siz da'vo qilgan qiymat", "Сиз даъво қилган қиймат", "Значение, которое вы заявляете", "Value you claim"],
    provisional_note => ["Tasdiqlangan javoblar asosida hisoblangan; e'lon qilinmaguncha o'zgarishi mumkin.", "Тасдиқланган жавоблар асосида ҳисобланган; эълон қилинмагунча ўзгариши мумкин.", "Рассчитано по утверждённым ответам; может измениться до публикации.", "Scored from the approved answers; it may change until publication."],
    provisional_result => ["Dastlabki natija", "Дастлабки натижа", "Предварительный результат", "Provisional result"],
    publication => ["E'lon qilish", "Эълон қилиш", "Публикация", "Publication"],
    publish => ["E'lon qilish", "Эълон қилиш", "Опубликовать", "Publish"],
    published_ok => ["Yangi tahrir sifatida e'lon qilindi.", "Янги таҳрир сифатида эълон қилинди.", "Опубликовано новой редакцией.", "Published as a new revision."],
    results_draft => ["Hozirgi hisob-kitob natijalari", "Ҳозирги ҳисоб-китоб натижалари", "Результаты по текущему расчёту", "Results as scored now"],
    results_draft_note => ["Qat'iy metodika bo'yicha tasdiqlangan javoblardan hisoblangan. E'lon qilinmaguncha ommaga ko'rinmaydi.", "Қатъий методика бўйича тасдиқланган жавоблардан ҳисобланган. Эълон қилинмагунча оммага кўринмайди.", "Рассчитано по утверждённым ответам закреплённой методики. Не публично до публикации.", "Scored from the approved answers with the pinned methodology. Not public until published."],
    retract => ["Reytingni qaytarib olish", "Рейтингни қайтариб олиш", "Отозвать рейтинг", "Retract the rating"],
    revisions => ["Tahrirlar", "Таҳрирлар", "Редакции", "Revisions"],
    whole_result => ["Natija umuman", "Натижа умуман", "Результат в целом", "The result as a whole"],
    changelog_public => ["O'zgarishlar tarixi", "Ўзгаришлар тарихи", "История изменений", "Changelog"],
    older_revision_note => ["Bu reytingning oldingi tahriri. Amaldagisi:", "Бу рейтингнинг олдинги таҳрири. Амалдагиси:", "Это прежняя редакция рейтинга. Действующая:", "This is an earlier revision of the rating. The current one:"],
    retracted => ["qaytarib olingan", "қайтариб олинган", "отозвана", "retracted"],
    retracted_note => ["Bu reyting qaytarib olingan va amal qilmaydi.", "Бу рейтинг қайтариб олинган ва амал қилмайди.", "Этот рейтинг отозван и не действует.", "This rating has been retracted and is no longer valid."],
    revised_on => ["qayta ko'rib chiqilgan", "қайта кўриб чиқилган", "исправлено", "revised on"],
    evidence_file => ["Fayl (PDF, rasm, Office, CSV; 10 MB gacha)", "Файл (PDF, расм, Office, CSV; 10 МБ гача)", "Файл (PDF, изображение, Office, CSV; до 10 МБ)", "File (PDF, image, Office, CSV; up to 10 MB)"],
    upload => ["Yuklash", "Юклаш", "Загрузить", "Upload"],
    upload_failed => ["Fayl qabul qilinmadi", "Файл қабул қилинмади", "Файл не принят", "The file was not accepted"],
    yes => ["Ha", "Ҳа", "Да", "Yes"],
    excel_title => ["Excel orqali to'ldirish", "Excel орқали тўлдириш", "Заполнение в Excel", "Fill in with Excel"],
    excel_note => ["Shaklni Excel faylida yuklab oling, oflayn to'ldiring va qaytarib yuklang. Avval faqat tekshiring: hech narsa saqlanmaydi, xatolar katak manzili bilan ko'rsatiladi.", "Шаклни Excel файлида юклаб олинг, офлайн тўлдиринг ва қайтариб юкланг. Аввал фақат текширинг: ҳеч нарса сақланмайди, хатолар катак манзили билан кўрсатилади.", "Скачайте анкету файлом Excel, заполните офлайн и загрузите обратно. Сначала только проверьте: ничего не сохранится, ошибки будут показаны с адресом ячейки.", "Download the form as an Excel file, fill it in offline and upload it back. Check it first: nothing is saved and every problem is shown with its cell."],
    excel_download => ["Shablonni yuklab olish (.xlsx)", "Шаблонни юклаб олиш (.xlsx)", "Скачать шаблон (.xlsx)", "Download the template (.xlsx)"],
    excel_file => ["To'ldirilgan fayl", "Тўлдирилган файл", "Заполненный файл", "Filled-in file"],
    excel_check_only => ["Faqat tekshirish (saqlamaslik)", "Фақат текшириш (сақламаслик)", "Только проверить (не сохранять)", "Check only (do not save)"],
    excel_upload => ["Yuklash", "Юклаш", "Загрузить", "Upload"],
    import_refused => ["Fayl qabul qilinmadi: hech narsa saqlanmadi", "Файл қабул қилинмади: ҳеч нарса сақланмади", "Файл не принят: ничего не сохранено", "The file was not accepted: nothing was saved"],
    import_applied => ["Fayldagi javoblar saqlandi", "Файлдаги жавоблар сақланди", "Ответы из файла сохранены", "The answers from the file were saved"],
    import_checked => ["Tekshirildi, xato yo'q: hali hech narsa saqlanmadi", "Текширилди, хато йўқ: ҳали ҳеч нарса сақланмади", "Проверено, ошибок нет: пока ничего не сохранено", "Checked, no problems: nothing saved yet"],
    import_changes => ["O'zgaradigan javoblar", "Ўзгарадиган жавоблар", "Изменяемые ответы", "Answers changed"],
    import_unchanged => ["O'zgarmagan", "Ўзгармаган", "Без изменений", "Unchanged"],
    import_cell => ["Katak", "Катак", "Ячейка", "Cell"],
    import_field => ["Maydon", "Майдон", "Поле", "Field"],
    indicator => ["Ko'rsatkich", "Кўрсаткич", "Показатель", "Indicator"],
    last_round => ["O'tgan bosqichda", "Ўтган босқичда", "В прошлом раунде", "Last round"],
    changed_since_submission => ["Oldingi topshirishdan keyin o'zgargan, avval edi", "Олдинги топширишдан кейин ўзгарган, аввал эди", "Изменено после прошлой сдачи, было", "Changed since the last submission, was"],
    region_rating => ["Hudud tumanlari reytingda", "Ҳудуд туманлари рейтингда", "Районы региона в рейтинге", "The region's districts in the rating"],
    region_average => ["Hudud o'rtachasi", "Ҳудуд ўртачаси", "Среднее по региону", "Region average"],
    region_spread => ["Tarqoqlik (standart og'ish)", "Тарқоқлик (стандарт оғиш)", "Разброс (стандартное отклонение)", "Spread (standard deviation)"],
    region_range => ["Eng past – eng yuqori", "Энг паст – энг юқори", "Минимум – максимум", "Lowest – highest"],
    rank_in_region => ["Hududdagi o'rni", "Ҳудуддаги ўрни", "Место в регионе", "Rank in region"],
    rank_in_league => ["Umumiy o'rni", "Умумий ўрни", "Место в общем рейтинге", "Rank in the league"],
    region_trend => ["Hudud o'rtachasi va umumiy o'rtacha, eng past – eng yuqori", "Ҳудуд ўртачаси ва умумий ўртача, энг паст – энг юқори", "Среднее по региону и по стране, минимум – максимум", "Region average and league average, lowest to highest"],
    pulse_title => ["Jarayondagi kampaniyalar", "Жараёндаги кампаниялар", "Кампании в работе", "Campaigns in progress"],
    no_active_campaigns => ["Faol kampaniya yo'q", "Фаол кампания йўқ", "Нет активных кампаний", "No campaign in progress"],
    awaiting_review => ["Tekshiruv kutmoqda", "Текширув кутмоқда", "Ждут проверки", "Awaiting review"],
    appeals_pending => ["Ko'rilmagan e'tirozlar", "Кўрилмаган эътирозлар", "Нерассмотренные апелляции", "Appeals pending"],
    movers_title => ["Eng katta o'zgarishlar", "Энг катта ўзгаришлар", "Наибольшие изменения", "Biggest movers"],
    risers => ["O'sganlar", "Ўсганлар", "Выросли", "Up"],
    fallers => ["Pasayganlar", "Пасайганлар", "Снизились", "Down"],
    own_rating_title => ["Sizning reytingingiz", "Сизнинг рейтингингиз", "Ваш рейтинг", "Your rating"],
    full_profile => ["To'liq profil", "Тўлиқ профил", "Полный профиль", "Full profile"],
    yours => ["Sizniki", "Сизники", "Ваше", "Yours"],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_is_translated() {
        for (key, texts) in ALL {
            for (i, t) in texts.iter().enumerate() {
                assert!(!t.trim().is_empty(), "{key}: language {i} is empty");
            }
            // Cyrillic Uzbek must not be a copy of the Latin text.
            if texts[0].chars().any(|c| c.is_ascii_alphabetic())
                && *key != "app_name"
                && *key != "iso_code"
            {
                assert_ne!(texts[0], texts[1], "{key}: uz-Cyrl is a copy of uz-Latn");
            }
        }
    }

    #[test]
    fn each_language_reads_differently() {
        let tr = |l| Tr(l).sign_in();
        let all: std::collections::HashSet<_> = Locale::ALL.iter().map(|l| tr(*l)).collect();
        assert_eq!(all.len(), 4);
    }
}
