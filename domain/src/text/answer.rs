//! Texts about an answer someone typed.

use crate::Locale;

use super::msg::Msg;

impl Msg {
    /// Messages about an answer someone typed.
    pub(super) fn answer(&self, l: Locale) -> String {
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
