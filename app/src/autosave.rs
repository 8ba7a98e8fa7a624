//! A form field's autosave: the field's state in the page, and the
//! debounced save that sends each value on its own with the version it was
//! read at, so a conflicting save comes back as a conflict and overwrites
//! nothing.

use crate::{api, components::error_text};
use domain::{FormIssue, SaveOutcome};
use leptos::prelude::*;

/// Where a field's autosave is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum SaveState {
    Idle,
    Waiting,
    Saving,
    Saved,
    Incomplete,
    Failed(String),
    Conflict(domain::Conflict),
    /// The number typed reads two ways; the officer chooses.
    Ambiguous {
        /// The question, in the page's language.
        text: String,
        /// The reading with the mark as the decimal separator.
        as_decimal: f64,
        /// The reading with the mark as a thousands separator.
        as_grouped: f64,
    },
}

impl SaveState {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            SaveState::Idle => "idle",
            SaveState::Waiting => "waiting",
            SaveState::Saving => "saving",
            SaveState::Saved => "saved",
            SaveState::Incomplete => "incomplete",
            SaveState::Failed(_) => "failed",
            SaveState::Conflict(_) => "conflict",
            SaveState::Ambiguous { .. } => "ambiguous",
        }
    }
}

/// Milliseconds of quiet typing before a value is saved.
const AUTOSAVE_DELAY_MS: u64 = 600;

/// A field's state in the page: its text, note and version as last saved
/// or loaded, where its autosave is, whether it still shows a prefilled
/// value, and how many edits were made since load.
#[derive(Clone, Copy)]
pub(crate) struct FieldState {
    pub(crate) text: RwSignal<String>,
    pub(crate) note: RwSignal<String>,
    pub(crate) version: RwSignal<i32>,
    pub(crate) state: RwSignal<SaveState>,
    pub(crate) prefilled: RwSignal<bool>,
    pub(crate) edits: RwSignal<u64>,
}

/// Saves the field as its officer types: each edit bumps `edits`, and a
/// save starts when no edit followed for a moment; a save that comes back
/// updates the version, the form's problems and whether it is answered.
pub(crate) fn autosave(
    s: FieldState,
    pid: i32,
    code: StoredValue<String>,
    issues: RwSignal<Vec<FormIssue>>,
    answered: RwSignal<bool>,
) {
    let FieldState {
        text,
        note,
        version,
        state,
        prefilled,
        edits,
    } = s;
    let saving = StoredValue::new(false);
    let save = move |sent: u64| {
        if saving.get_value() {
            return;
        }
        saving.set_value(true);
        state.set(SaveState::Saving);
        let (v, c, ver) = (
            text.get_untracked(),
            note.get_untracked(),
            version.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            let r = api::save_value(
                pid,
                code.get_value(),
                Some(v.clone()).filter(|v| !v.trim().is_empty()),
                Some(c).filter(|c| !c.trim().is_empty()),
                ver,
            )
            .await;
            saving.set_value(false);
            match r {
                Ok(SaveOutcome::Saved {
                    version: nv,
                    issues: now,
                }) => {
                    version.set(nv);
                    issues.set(now);
                    answered.set(!v.trim().is_empty());
                    prefilled.set(false);
                    state.set(SaveState::Saved);
                }
                Ok(SaveOutcome::Conflict(c)) => {
                    state.set(SaveState::Conflict(c));
                    return;
                }
                Err(e) => {
                    state.set(match e.msg {
                        domain::Msg::AmbiguousNumber {
                            as_decimal,
                            as_grouped,
                            ..
                        } => SaveState::Ambiguous {
                            text: error_text(&e),
                            as_decimal,
                            as_grouped,
                        },
                        _ => SaveState::Failed(error_text(&e)),
                    });
                    return;
                }
            }
            // Typed on while this save was in flight: save again.
            if edits.get_untracked() != sent {
                edits.update(|n| *n += 1);
            }
        });
    };
    // Debounced autosave: each edit bumps `edits`; a save starts when no
    // edit followed for a moment.
    Effect::new(move |_| {
        let n = edits.get();
        if n == 0 {
            return;
        }
        state.set(SaveState::Waiting);
        set_timeout(
            move || {
                if edits.get_untracked() == n
                    && !matches!(state.get_untracked(), SaveState::Conflict(_))
                {
                    save(n);
                }
            },
            std::time::Duration::from_millis(AUTOSAVE_DELAY_MS),
        );
    });
}
