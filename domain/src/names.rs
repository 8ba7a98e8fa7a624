//! The names of the closed sets people read (roles, leagues, states) in
//! the four languages: one table for the pages and the server's messages.

use crate::{CampaignStatus, EntityKind, Locale, Role, SubmissionStatus};

impl Role {
    /// The role's name in `l`.
    pub fn name(self, l: Locale) -> &'static str {
        l.pick(match self {
            Role::Admin => [
                "Administrator",
                "Администратор",
                "Администратор",
                "Administrator",
            ],
            Role::Methodologist => ["Metodist", "Методист", "Методолог", "Methodologist"],
            Role::Reviewer => ["Tekshiruvchi", "Текширувчи", "Проверяющий", "Reviewer"],
            Role::Publisher => ["Nashr qiluvchi", "Нашр қилувчи", "Публикатор", "Publisher"],
            Role::Cdo => [
                "Raqamlashtirish bo'yicha rahbar (CDO)",
                "Рақамлаштириш бўйича раҳбар (CDO)",
                "Руководитель по цифровизации (CDO)",
                "Chief Digital Officer",
            ],
            Role::District => [
                "Hudud mas'uli",
                "Ҳудуд масъули",
                "Ответственный от территории",
                "District officer",
            ],
            Role::Viewer => ["Kuzatuvchi", "Кузатувчи", "Наблюдатель", "Viewer"],
        })
    }
}

impl EntityKind {
    /// The league's name in `l` (the kind of entity it rates).
    pub fn name(self, l: Locale) -> &'static str {
        l.pick(match self {
            EntityKind::StateBody => [
                "Davlat organlari",
                "Давлат органлари",
                "Государственные органы",
                "State bodies",
            ],
            EntityKind::EconomicBody => [
                "Xo'jalik boshqaruvi organlari",
                "Хўжалик бошқаруви органлари",
                "Органы хозяйственного управления",
                "Economic management bodies",
            ],
            EntityKind::Region => ["Hududlar", "Ҳудудлар", "Регионы", "Regions"],
            EntityKind::District => [
                "Tumanlar va shaharlar",
                "Туманлар ва шаҳарлар",
                "Районы и города",
                "Districts and cities",
            ],
        })
    }
}

impl CampaignStatus {
    /// The campaign state's name in `l`.
    pub fn name(self, l: Locale) -> &'static str {
        l.pick(match self {
            CampaignStatus::Draft => ["Qoralama", "Қоралама", "Черновик", "Draft"],
            CampaignStatus::Open => ["Ochiq", "Очиқ", "Открыта", "Open"],
            CampaignStatus::Closed => ["Yopilgan", "Ёпилган", "Закрыта", "Closed"],
            CampaignStatus::UnderReview => {
                ["Tekshiruvda", "Текширувда", "На проверке", "Under review"]
            }
            CampaignStatus::Provisional => [
                "Dastlabki natijalar",
                "Дастлабки натижалар",
                "Предварительные итоги",
                "Provisional results",
            ],
            CampaignStatus::Appeals => ["Apellyatsiyalar", "Апелляциялар", "Апелляции", "Appeals"],
            CampaignStatus::Final => ["Yakuniy", "Якуний", "Итоговая", "Final"],
        })
    }
}

impl SubmissionStatus {
    /// The submission state's name in `l`.
    pub fn name(self, l: Locale) -> &'static str {
        l.pick(match self {
            SubmissionStatus::NotStarted => {
                ["Boshlanmagan", "Бошланмаган", "Не начато", "Not started"]
            }
            SubmissionStatus::InProgress => [
                "To'ldirilmoqda",
                "Тўлдирилмоқда",
                "Заполняется",
                "In progress",
            ],
            SubmissionStatus::Submitted => ["Yuborilgan", "Юборилган", "Отправлено", "Submitted"],
            SubmissionStatus::Endorsed => [
                "Viloyat ma'qulladi",
                "Вилоят маъқуллади",
                "Одобрено областью",
                "Endorsed by region",
            ],
            SubmissionStatus::Returned => ["Qaytarilgan", "Қайтарилган", "Возвращено", "Returned"],
            SubmissionStatus::Approved => {
                ["Tasdiqlangan", "Тасдиқланган", "Утверждено", "Approved"]
            }
        })
    }
}

/// The heading of a form problem by its code (`required`, `out_of_range`,
/// `evidence_missing`, `rule`, `outlier_previous`, `outlier_peers`), in `l`.
pub fn issue_name(code: &str, l: Locale) -> &'static str {
    l.pick(match code {
        "required" => [
            "Javob talab qilinadi",
            "Жавоб талаб қилинади",
            "Требуется ответ",
            "Answer required",
        ],
        "out_of_range" => [
            "Ruxsat etilgan oraliqdan tashqarida",
            "Рухсат этилган оралиқдан ташқарида",
            "Вне допустимого диапазона",
            "Out of range",
        ],
        "evidence_missing" => [
            "Dalil biriktirilmagan",
            "Далил бириктирилмаган",
            "Нет подтверждения",
            "Evidence missing",
        ],
        "rule" => [
            "Tekshiruv qoidasi buzilgan",
            "Текширув қоидаси бузилган",
            "Нарушено правило проверки",
            "Check rule broken",
        ],
        "outlier_previous" => [
            "O'tgan davrdan keskin farq qiladi",
            "Ўтган даврдан кескин фарқ қилади",
            "Сильно отличается от прошлого периода",
            "Far from last period",
        ],
        "outlier_peers" => [
            "Boshqalarnikidan keskin farq qiladi",
            "Бошқаларникидан кескин фарқ қилади",
            "Сильно отличается от других",
            "Far from its peers",
        ],
        _ => ["Muammo", "Муаммо", "Проблема", "Problem"],
    })
}
