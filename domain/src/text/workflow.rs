//! Texts about the work itself: campaigns and their stages, reviews,
//! appeals, tokens, publication, and what changed meanwhile.

use crate::Locale;

use super::msg::{Msg, Step};

impl Msg {
    /// Messages about campaigns, reviews, appeals, tokens and publication.
    pub(super) fn workflow(&self, l: Locale) -> String {
        match self {
            Msg::CampaignsForStaff => say!(l;
                "Reyting davrlari vazirlik xodimlari va masʼullar uchun.",
                "Рейтинг даврлари вазирлик ходимлари ва масъуллар учун.",
                "Рейтинговые периоды доступны сотрудникам министерства и ответственным.",
                "Campaigns are for ministry staff and officers.",
            ),
            Msg::StaffOnly => say!(l;
                "Bu sahifa vazirlik xodimlari uchun.",
                "Бу саҳифа вазирлик ходимлари учун.",
                "Эта страница для сотрудников министерства.",
                "This page is for ministry staff.",
            ),
            Msg::OnlyParticipantsDiscuss => say!(l;
                "Hisobotni faqat uning masʼuli va tekshiruvchilar muhokama qiladi.",
                "Ҳисоботни фақат унинг масъули ва текширувчилар муҳокама қилади.",
                "Отчёт обсуждают только его ответственный и проверяющие.",
                "Only the officer and the reviewers discuss a submission.",
            ),
            Msg::OnlyRegionOfficer => say!(l;
                "Tumanlar javoblarini faqat viloyat masʼuli (va vazirlik xodimlari) kiritadi.",
                "Туманлар жавобларини фақат вилоят масъули (ва вазирлик ходимлари) киритади.",
                "Ответы районов вносит только ответственный области (и сотрудники министерства).",
                "Only the region's officer (and ministry staff) enters its districts' answers.",
            ),
            Msg::WrongState {
                campaign,
                current,
                expected,
            } => {
                let (current, expected) = (current.name(l), expected.name(l));
                say!(l;
                    "«{campaign}» holati — «{current}», «{expected}» emas. Sahifani yangilang.",
                    "«{campaign}» ҳолати — «{current}», «{expected}» эмас. Саҳифани янгиланг.",
                    "Статус «{campaign}» — «{current}», а не «{expected}». Обновите страницу.",
                    "Campaign “{campaign}” is “{current}”, not “{expected}”. Reload the page.",
                )
            }
            Msg::CampaignFinal { campaign } => say!(l;
                "«{campaign}» yakunlangan: keyingi bosqich yoʻq.",
                "«{campaign}» якунланган: кейинги босқич йўқ.",
                "«{campaign}» завершён: следующего этапа нет.",
                "Campaign “{campaign}” is final: there is no next stage.",
            ),
            Msg::NotAtThisStage {
                campaign,
                status,
                step,
            } => {
                let status = status.name(l);
                let when = step_stage(*step, l);
                say!(l;
                    "«{campaign}» holati — «{status}». {when}",
                    "«{campaign}» ҳолати — «{status}». {when}",
                    "Статус «{campaign}» — «{status}». {when}",
                    "Campaign “{campaign}” is “{status}”. {when}",
                )
            }
            Msg::WaitingReview { n } => {
                let n = l.count(
                    *n,
                    l.pick([
                        ["ta hisobot"; 3],
                        ["та ҳисобот"; 3],
                        ["отчёт", "отчёта", "отчётов"],
                        ["submission", "submissions", "submissions"],
                    ]),
                );
                say!(l;
                    "{n} hali tekshiruvni kutmoqda.",
                    "{n} ҳали текширувни кутмоқда.",
                    "Ещё ждут проверки: {n}.",
                    "Still waiting for review: {n}.",
                )
            }
            Msg::AppealsOpen { n } => {
                let n = l.count(
                    *n,
                    l.pick([
                        ["ta apellyatsiya"; 3],
                        ["та апелляция"; 3],
                        ["апелляция", "апелляции", "апелляций"],
                        ["appeal", "appeals", "appeals"],
                    ]),
                );
                say!(l;
                    "{n} hali hal qilinmagan.",
                    "{n} ҳали ҳал қилинмаган.",
                    "Ещё не рассмотрены: {n}.",
                    "Not decided yet: {n}.",
                )
            }
            Msg::ChangedMeanwhile { what } => {
                let what = what.name(l);
                say!(l;
                    "Bu vaqt ichida {what} oʻzgardi. Sahifani yangilang.",
                    "Бу вақт ичида {what} ўзгарди. Саҳифани янгиланг.",
                    "Пока страница была открыта, изменилось: {what}. Обновите страницу.",
                    "The {what} changed meanwhile. Reload the page.",
                )
            }
            // `render` sends only the variants above here.
            _ => String::new(),
        }
    }
}

impl Msg {
    /// Messages about stored records: what exists, was done, is locked or
    /// published; tokens and pushes.
    pub(super) fn records(&self, l: Locale) -> String {
        match self {
            Msg::Exists { what, which } => {
                let what = what.name(l);
                say!(l;
                    "Bunday {what} allaqachon bor: «{which}».",
                    "Бундай {what} аллақачон бор: «{which}».",
                    "Уже существует: {what} «{which}».",
                    "Already exists: {what} “{which}”.",
                )
            }
            Msg::AlreadyDone { what, which } => {
                let what = what.name(l);
                say!(l;
                    "Allaqachon koʻrib chiqilgan: {what} «{which}». Sahifani yangilang.",
                    "Аллақачон кўриб чиқилган: {what} «{which}». Саҳифани янгиланг.",
                    "Уже обработано: {what} «{which}». Обновите страницу.",
                    "Already dealt with: {what} “{which}”. Reload the page.",
                )
            }
            Msg::LockedByFeed { indicator, source } => say!(l;
                "{indicator} «{source}» tizimidan keladi va qoʻlda oʻzgartirilmaydi.",
                "{indicator} «{source}» тизимидан келади ва қўлда ўзгартирилмайди.",
                "{indicator} поступает из системы «{source}» и вручную не изменяется.",
                "{indicator} comes from “{source}” and is locked against manual edits.",
            ),
            Msg::NoSavedVersion { indicator, version } => say!(l;
                "{indicator}: saqlangan {version}-versiya yoʻq. Sahifani yangilang.",
                "{indicator}: сақланган {version}-версия йўқ. Саҳифани янгиланг.",
                "{indicator}: сохранённой версии {version} нет. Обновите страницу.",
                "{indicator} has no saved version {version}. Reload the page.",
            ),
            Msg::OwnAdminRole => say!(l;
                "Oʻzingizning administrator rolingizni olib tashlay olmaysiz.",
                "Ўзингизнинг администратор ролингизни олиб ташлай олмайсиз.",
                "Нельзя снять роль администратора с самого себя.",
                "You cannot revoke your own admin role.",
            ),
            Msg::OwnAccount => say!(l;
                "Oʻz hisobingizni oʻchira olmaysiz.",
                "Ўз ҳисобингизни ўчира олмайсиз.",
                "Нельзя отключить собственную учётную запись.",
                "You cannot disable your own account.",
            ),
            Msg::TokenScope { entity } => say!(l;
                "Bu kalit «{entity}» uchun yozolmaydi.",
                "Бу калит «{entity}» учун ёзолмайди.",
                "Этот токен не может записывать данные «{entity}».",
                "The token may not write for “{entity}”.",
            ),
            Msg::IdempotencyBusy => say!(l;
                "Shu Idempotency-Key bilan boshqa soʻrov bajarilmoqda.",
                "Шу Idempotency-Key билан бошқа сўров бажарилмоқда.",
                "Тот же Idempotency-Key сейчас использует другой запрос.",
                "The same Idempotency-Key is being used by another request.",
            ),
            Msg::PushRaced => say!(l;
                "Yuborish vaqtida qiymatni boshqa kishi saqladi; hech narsa yozilmadi, qayta yuboring.",
                "Юбориш вақтида қийматни бошқа киши сақлади; ҳеч нарса ёзилмади, қайта юборинг.",
                "Во время передачи значение сохранил кто-то другой; ничего не записано, отправьте снова.",
                "A value was saved by someone else during this push; nothing was written, send it again.",
            ),
            Msg::NothingToRetract { campaign } => say!(l;
                "«{campaign}»da qaytarib olinadigan reyting yoʻq.",
                "«{campaign}»да қайтариб олинадиган рейтинг йўқ.",
                "У «{campaign}» нет рейтинга, который можно отозвать.",
                "Campaign “{campaign}” has no rating to retract.",
            ),
            Msg::AlreadyPublished { revision } => say!(l;
                "{revision}-tahrir bu natijalarni allaqachon eʼlon qilgan.",
                "{revision}-таҳрир бу натижаларни аллақачон эълон қилган.",
                "Редакция {revision} уже публикует эти результаты.",
                "Revision {revision} already publishes these results.",
            ),
            // `render` sends only the variants above here.
            _ => String::new(),
        }
    }
}

/// When a step is done, as the second sentence of [`Msg::NotAtThisStage`].
fn step_stage(step: Step, l: Locale) -> &'static str {
    l.pick(match step {
        Step::Remind => [
            "Eslatmalar ochiq davrlar uchun.",
            "Эслатмалар очиқ даврлар учун.",
            "Напоминания отправляются только в открытых периодах.",
            "Reminders are for open campaigns.",
        ],
        Step::Score => [
            "Natijalar tekshiruv boshlangach hisoblanadi.",
            "Натижалар текширув бошлангач ҳисобланади.",
            "Результаты считаются с начала проверки.",
            "Results are scored once review starts.",
        ],
        Step::Publish => [
            "Faqat yakuniy natijalar eʼlon qilinadi.",
            "Фақат якуний натижалар эълон қилинади.",
            "Публикуются только итоговые результаты.",
            "Only final results are published.",
        ],
        Step::Nominate => [
            "Nominatsiyalar yakuniy natijalar boʻyicha tanlanadi.",
            "Номинациялар якуний натижалар бўйича танланади.",
            "Номинации выбираются по итоговым результатам.",
            "Nominations are chosen on final results.",
        ],
        Step::DecideAppeals => [
            "Apellyatsiyalar dastlabki natijalar bosqichida hal qilinadi.",
            "Апелляциялар дастлабки натижалар босқичида ҳал қилинади.",
            "Апелляции рассматриваются, пока результаты предварительные.",
            "Appeals are decided while results are provisional.",
        ],
    })
}
