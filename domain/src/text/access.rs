//! Texts about who may act on a submission, and when.

use crate::Locale;

use super::msg::Msg;

impl Msg {
    /// Messages about who may act on a submission, and when.
    pub(super) fn access(&self, l: Locale) -> String {
        match self {
            Msg::RoleRequired { roles } => {
                let names: Vec<&str> = roles.iter().map(|r| r.name(l)).collect();
                let or = l.pick([" yoki ", " ёки ", " или ", " or "]);
                let roles = names.join(or);
                say!(l;
                    "Buning uchun rol kerak: {roles}.",
                    "Бунинг учун рол керак: {roles}.",
                    "Для этого нужна роль: {roles}.",
                    "This needs the role {roles}.",
                )
            }
            Msg::OtherEntity => say!(l;
                "Bu hisobot boshqa tashkilotniki.",
                "Бу ҳисобот бошқа ташкилотники.",
                "Этот отчёт принадлежит другой организации.",
                "This submission belongs to another entity.",
            ),
            Msg::OnlyOwnOfficer => say!(l;
                "Javoblarni faqat tashkilotning oʻz masʼuli (tuman uchun — viloyat masʼuli) kiritadi.",
                "Жавобларни фақат ташкилотнинг ўз масъули (туман учун — вилоят масъули) киритади.",
                "Ответы вносит только ответственный самой организации (для района — ответственный области).",
                "Only the entity's own officer (or, for a district, its region's) enters its answers.",
            ),
            Msg::SubmissionReadOnly { status } => {
                let status = status.name(l);
                say!(l;
                    "Hisobot holati: «{status}». U qaytarilmaguncha faqat oʻqish mumkin.",
                    "Ҳисобот ҳолати: «{status}». У қайтарилмагунча фақат ўқиш мумкин.",
                    "Статус отчёта: «{status}». Пока его не вернут, его можно только читать.",
                    "The submission is “{status}”: it is read-only until returned.",
                )
            }
            Msg::CampaignClosed { status } => {
                let status = status.name(l);
                say!(l;
                    "Reyting davri holati: «{status}». Javoblar qabul qilinmaydi.",
                    "Рейтинг даври ҳолати: «{status}». Жавоблар қабул қилинмайди.",
                    "Статус рейтингового периода: «{status}». Ответы не принимаются.",
                    "The campaign is “{status}”: it takes no answers.",
                )
            }
            Msg::CampaignNotOpen => say!(l;
                "Reyting davri hali ochilmagan.",
                "Рейтинг даври ҳали очилмаган.",
                "Рейтинговый период ещё не открыт.",
                "The campaign has not opened yet.",
            ),
            Msg::DeadlinePassed { deadline } => {
                let day = l.format_date_long(deadline);
                say!(l;
                    "Muddat ({day}) oʻtib ketdi.",
                    "Муддат ({day}) ўтиб кетди.",
                    "Срок ({day}) истёк.",
                    "The deadline ({day}) has passed.",
                )
            }
            Msg::NotSubmitted { status } => {
                let status = status.name(l);
                say!(l;
                    "Hisobot holati: «{status}». Faqat yuborilgan hisobotlar tekshiriladi.",
                    "Ҳисобот ҳолати: «{status}». Фақат юборилган ҳисоботлар текширилади.",
                    "Статус отчёта: «{status}». Проверяются только отправленные отчёты.",
                    "The submission is “{status}”: only submitted work is reviewed.",
                )
            }
            Msg::SubmitBlocked { problems } => {
                let n = l.count(problems.len() as u64, problem_forms(l));
                let needs = l.pick([
                    "izoh kerak",
                    "изоҳ керак",
                    "нужно обоснование",
                    "needs a justification",
                ]);
                let list: Vec<String> = problems
                    .iter()
                    .map(|b| {
                        let what = crate::issue_name(&b.issue, l);
                        let what = if b.unjustified {
                            format!("{what}, {needs}")
                        } else {
                            what.to_owned()
                        };
                        if b.detail.is_empty() {
                            format!("{}: {what}", b.indicator)
                        } else {
                            format!("{}: {what} ({})", b.indicator, b.detail)
                        }
                    })
                    .collect();
                let list = list.join("; ");
                say!(l;
                    "Yuborib boʻlmaydi, {n} bor: {list}.",
                    "Юбориб бўлмайди, {n} бор: {list}.",
                    "Отправить нельзя: {n}: {list}.",
                    "Cannot submit: {n}: {list}.",
                )
            }
            Msg::RegionReviewsFirst => say!(l;
                "Avval viloyat masʼuli tekshiradi; maʼqullangach, hisobot vazirlikka keladi.",
                "Аввал вилоят масъули текширади; маъқуллангач, ҳисобот вазирликка келади.",
                "Сначала отчёт проверяет ответственный области; после одобрения он поступит в министерство.",
                "The region's officer reviews this submission first; it comes to the ministry once endorsed.",
            ),
            Msg::MinistryReviewsNow => say!(l;
                "Viloyat maʼqulladi: endi hisobotni vazirlik tekshiruvchilari koʻrib chiqadi.",
                "Вилоят маъқуллади: энди ҳисоботни вазирлик текширувчилари кўриб чиқади.",
                "Область одобрила отчёт: теперь его проверяют сотрудники министерства.",
                "The region has endorsed it: the ministry's reviewers review it now.",
            ),
            // `render` sends only the variants above here.
            _ => String::new(),
        }
    }
}

/// "problem" in the three plural forms of `l` (see [`Locale::count`]).
fn problem_forms(l: Locale) -> [&'static str; 3] {
    l.pick([
        ["ta muammo"; 3],
        ["та муаммо"; 3],
        ["проблема", "проблемы", "проблем"],
        ["problem", "problems", "problems"],
    ])
}
