//! An uploaded Excel template: reading it never panics, and every row's
//! cell turns into answer text (or a message) for every kind of question.
#![no_main]

use exports::template::{TemplateInput, answer_text};
use exports::upload::read_template;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(filled) = read_template(data) else {
        return;
    };
    let options = vec![("a".to_owned(), "Option A".to_owned())];
    let inputs = [
        TemplateInput::Number {
            unit: None,
            range: Some((0.0, 100.0)),
        },
        TemplateInput::YesNo,
        TemplateInput::Choice(options.clone()),
        TemplateInput::Checklist(options),
        TemplateInput::Url,
        TemplateInput::LegalAct,
        TemplateInput::Text,
        TemplateInput::Computed,
    ];
    for row in &filled.rows {
        for input in &inputs {
            let _ = answer_text(input, &row.value);
        }
    }
});
