//! The submission form: generated from the methodology, one control per
//! indicator kind, saved as the officer types (each value on its own, with
//! its version, so a conflicting save shows both versions and overwrites
//! nothing), checked after every save; and, for reviewers, the verdict on
//! each value, return with a reason, and approval.

use crate::{
    api,
    autosave::{FieldState, SaveState, autosave},
    components::{Denied, ErrorNote, NotFound, error_text, id_param, submission_status_name},
    i18n::{Tr, use_tr},
    workbook::{TemplateRoundTrip, import_query},
};
use domain::{
    FormField, FormIssue, LinkOutcome, Locale, ReviewAction, ReviewStatus, SubmissionForm,
    SubmissionStatus,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use methodology::number::Notation;

/// The heading of a problem kind.
fn issue_heading(tr: Tr, code: &str) -> &'static str {
    domain::issue_name(code, tr.locale())
}

fn review_name(tr: Tr, r: ReviewStatus) -> &'static str {
    match r {
        ReviewStatus::Pending => tr.rv_pending(),
        ReviewStatus::Accepted => tr.rv_accepted(),
        ReviewStatus::Adjusted => tr.rv_adjusted(),
        ReviewStatus::Rejected => tr.rv_rejected(),
    }
}

/// The actions of the page; any of them reloads the form when done.
#[derive(Clone, Copy)]
struct Actions {
    submit: ServerAction<api::SubmitSubmission>,
    review: ServerAction<api::ReviewValue>,
    decide: ServerAction<api::DecideSubmission>,
    reply: ServerAction<api::ReplyComment>,
    add_evidence: ServerAction<api::AddEvidence>,
    remove_evidence: ServerAction<api::RemoveEvidence>,
    appeal: ServerAction<api::FileAppeal>,
}

/// One submission: the officer's form, the reviewer's workbench.
#[component]
pub fn SubmissionPage() -> impl IntoView {
    let tr = use_tr();
    let id = id_param();
    let a = Actions {
        submit: ServerAction::new(),
        review: ServerAction::new(),
        decide: ServerAction::new(),
        reply: ServerAction::new(),
        add_evidence: ServerAction::new(),
        remove_evidence: ServerAction::new(),
        appeal: ServerAction::new(),
    };
    let form = Resource::new(
        move || {
            (
                id.get(),
                a.submit.version().get(),
                a.review.version().get(),
                a.decide.version().get(),
                a.reply.version().get(),
                a.add_evidence.version().get(),
                a.remove_evidence.version().get(),
                a.appeal.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => api::submission_form(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let error = Signal::derive(move || {
        [
            a.submit.value().get().and_then(Result::err),
            a.review.value().get().and_then(Result::err),
            a.decide.value().get().and_then(Result::err),
            a.reply.value().get().and_then(Result::err),
            a.add_evidence.value().get().and_then(Result::err),
            a.remove_evidence.value().get().and_then(Result::err),
            a.appeal.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| error_text(&e))
    });
    let query = leptos_router::hooks::use_query_map();
    let upload_error = move || query.read().get("upload_error");
    view! {
        {move || upload_error().map(|e| view! { <p class="alert error" role="alert" id="upload-error">{format!("{}: {e}", tr.upload_failed())}</p> })}
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || form.get().map(|r| match r {
                Ok(Some(f)) => view! { <ErrorNote error/><FormView f a/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(e) => view! { <Denied signed_in=!e.needs_sign_in()/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn FormView(f: SubmissionForm, a: Actions) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let pid = f.participant.0;
    let issues = RwSignal::new(f.issues.clone());
    // Whether each question is answered, kept live as saves come back.
    let answered = answered_flags(&f.sections);
    let flag_of = {
        let answered = answered.clone();
        move |code: &str| {
            answered
                .iter()
                .find(|(_, c, _)| c == code)
                .map(|(_, _, s)| *s)
        }
    };
    let total = answered.len();
    let done = {
        let answered = answered.clone();
        Memo::new(move |_| answered.iter().filter(|(_, _, s)| s.get()).count())
    };
    let title = format!(
        "{} — {}",
        f.entity.names.get(locale),
        f.campaign.names.get(locale)
    );
    let general: Vec<_> = f
        .comments
        .iter()
        .filter(|c| c.indicator.is_none())
        .cloned()
        .collect();
    let comments = f.comments.clone();
    let (editable, reviewable) = (f.editable, f.reviewable);
    // A region's officer reviewing a district in a two-level round endorses
    // it on to the ministry rather than approving it.
    let endorses =
        reviewable && f.campaign.region_review && f.status == SubmissionStatus::Submitted;
    // Reviewers set verdicts on values while reviewing, and may still
    // correct them once the results are final.
    let verdicts = f.reviewable || f.correctable;
    let questions = questions(&f.sections, locale);
    view! {
        <Title text=title.clone()/>
        <nav class="breadcrumb"><A href="/campaigns">{tr.campaigns_title()}</A></nav>
        <h1>{f.entity.names.get(locale).to_owned()}</h1>
        {form_head(tr, &f, done, total)}
        <ExcelPanel pid editable/>
        {f.provisional.map(|p| view! { <ProvisionalPanel p pid questions a/> })}
        {(!general.is_empty()).then(|| view! {
            <section class="card comments-general" aria-label=tr.review_comments()>
                <h2>{tr.review_comments()}</h2>
                <Thread comments=general pid a/>
            </section>
        })}
        <div class="form-layout">
            <nav class="form-toc card" aria-label=tr.sections()>
                <ol>
                    {toc_items(locale, &f.sections, &answered)}
                </ol>
            </nav>
            <div class="form-body">
                {f.sections.into_iter().map(|s| {
                    let fields = s.fields.into_iter().map(|field| {
                        let flag = flag_of(&field.code).unwrap_or_else(|| RwSignal::new(true));
                        let thread: Vec<_> = comments.iter().filter(|c| c.indicator.as_deref() == Some(field.code.as_str())).cloned().collect();
                        view! { <Field field pid editable reviewable=verdicts issues answered=flag thread a/> }
                    }).collect_view();
                    view! {
                        <section class="card form-section" id=format!("sec-{}", s.code)>
                            <h2>{s.names.get(locale).to_owned()}</h2>
                            {fields}
                        </section>
                    }
                }).collect_view()}
            </div>
        </div>
        <section class="card issues" aria-live="polite">
            <h2>{tr.problems()}</h2>
            {move || issue_list(tr, issues.get())}
        </section>
        {editable.then(|| submit_panel(tr, a, pid, issues))}
        {reviewable.then(|| decide_panel(tr, a, pid, endorses))}
        {history(tr, f.history)}
    }
}

/// Whether each question (formulas aside) is answered, by section and
/// question code, kept live as saves come back.
fn answered_flags(sections: &[domain::FormSection]) -> Vec<(String, String, RwSignal<bool>)> {
    sections
        .iter()
        .flat_map(|s| {
            s.fields.iter().filter(|x| x.formula.is_none()).map(|x| {
                (
                    s.code.clone(),
                    x.code.clone(),
                    RwSignal::new(x.value.is_some()),
                )
            })
        })
        .collect()
}

/// Each question (formulas aside) by code, with its name.
fn questions(sections: &[domain::FormSection], locale: Locale) -> Vec<(String, String)> {
    sections
        .iter()
        .flat_map(|s| &s.fields)
        .filter(|x| x.formula.is_none())
        .map(|x| (x.code.clone(), x.names.get(locale).to_owned()))
        .collect()
}

/// The form's entity, campaign, status, deadline and progress, and what
/// its status means for the reader.
fn form_head(tr: Tr, f: &SubmissionForm, done: Memo<usize>, total: usize) -> impl IntoView + use<> {
    let locale = tr.locale();
    let (editable, reviewable) = (f.editable, f.reviewable);
    view! {
        <section class="card form-head" data-status=f.status.as_str() data-editable=editable.to_string()>
            <p><strong>{f.campaign.names.get(locale).to_owned()}</strong>" · "<span class="mono">{f.campaign.methodology.clone()}</span></p>
            <p>
                <span class=format!("pill ss-{}", f.status.as_str())>{submission_status_name(tr, f.status)}</span>
                " " {tr.deadline()}": " <strong>{f.deadline.clone()}</strong>
            </p>
            <div class="meter" role="progressbar" aria-valuemin="0" aria-valuemax=total aria-valuenow=move || done.get() aria-label=tr.progress()>
                <span style=move || format!("width:{:.1}%", done.get() as f64 * 100.0 / total.max(1) as f64)></span>
            </div>
            <p class="muted" data-progress=move || format!("{}/{total}", done.get())>{move || format!("{} {} / {total}", tr.answered(), done.get())}</p>
            {(!editable && f.status.editable()).then(|| view! { <p class="alert">{tr.form_read_only()}</p> })}
            {(f.status == SubmissionStatus::Submitted && !reviewable).then(|| view! {
                <p class="alert ok">{tr.form_submitted_note()}</p>
                {f.campaign.region_review.then(|| view! { <p class="muted">{tr.waits_for_region()}</p> })}
            })}
            {(f.status == SubmissionStatus::Endorsed && !reviewable).then(|| view! { <p class="alert ok">{tr.form_endorsed_note()}</p> })}
        </section>
    }
}

/// A section link per section, with how many of its questions are answered.
fn toc_items(
    locale: Locale,
    sections: &[domain::FormSection],
    answered: &[(String, String, RwSignal<bool>)],
) -> impl IntoView + use<> {
    sections.iter().map(|s| {
        let code = s.code.clone();
        let flags: Vec<RwSignal<bool>> = answered.iter().filter(|(sc, _, _)| *sc == code).map(|(_, _, f)| *f).collect();
        let n = flags.len();
        view! {
            <li><a href=format!("#sec-{code}")>{s.names.get(locale).to_owned()}</a>
                <span class="muted">{move || format!(" {}/{n}", flags.iter().filter(|f| f.get()).count())}</span></li>
        }
    }).collect_view()
}

/// The form's problems, each linked to its question; soft ones say whether
/// they are justified.
fn issue_list(tr: Tr, list: Vec<FormIssue>) -> AnyView {
    if list.is_empty() {
        view! { <p class="ok">{tr.no_problems()}</p> }.into_any()
    } else {
        view! {
            <ul>
                {list.into_iter().map(|i| view! {
                    <li class:hard=i.hard data-issue=i.code.clone()>
                        <a href=format!("#f-{}", i.indicator)>{i.indicator.clone()}</a>": "
                        {issue_heading(tr, &i.code)} " " <span class="muted">{i.detail.clone()}</span>
                        {(!i.hard).then(|| format!(" — {}", if i.justified { tr.justified() } else { tr.needs_justification() }))}
                    </li>
                }).collect_view()}
            </ul>
        }.into_any()
    }
}

/// What still blocks submission, and the button that submits.
fn submit_panel(tr: Tr, a: Actions, pid: i32, issues: RwSignal<Vec<FormIssue>>) -> impl IntoView {
    let hard = move || issues.get().iter().filter(|i| i.hard).count();
    let unjustified = move || {
        issues
            .get()
            .iter()
            .filter(|i| !i.hard && !i.justified)
            .count()
    };
    view! {
        <section class="card submit-panel">
            <h2>{tr.submit_title()}</h2>
            <p class="blocking" data-blocking=move || format!("{}/{}", hard(), unjustified())>{move || format!("{}: {} · {}: {}", tr.blocking(), hard(), tr.needs_justification(), unjustified())}</p>
            <ActionForm action=a.submit>
                <input type="hidden" name="id" value=pid/>
                <button type="submit" class="primary" id="submit-form">{tr.submit_for_review()}</button>
            </ActionForm>
        </section>
    }
}

/// The reviewer's decision on the whole submission: return it with a
/// reason, or approve it (endorse it, at a region in a two-level round).
fn decide_panel(tr: Tr, a: Actions, pid: i32, endorses: bool) -> impl IntoView {
    view! {
        <section class="card decide-panel" data-stage=if endorses { "region" } else { "ministry" }>
            <h2>{tr.decision()}</h2>
            {endorses.then(|| view! { <p class="muted">{tr.endorse_note()}</p> })}
            <ActionForm action=a.decide attr:class="inline-form">
                <input type="hidden" name="id" value=pid/>
                <input type="hidden" name="approve" value="false"/>
                <label>{tr.reason()}<input name="reason" id="return-reason" required/></label>
                <button type="submit" id="return-form">{tr.return_for_revision()}</button>
            </ActionForm>
            <ActionForm action=a.decide attr:class="inline">
                <input type="hidden" name="id" value=pid/>
                <input type="hidden" name="approve" value="true"/>
                <button type="submit" class="primary" id="approve-form">{if endorses { tr.endorse() } else { tr.approve() }}</button>
            </ActionForm>
        </section>
    }
}

/// Every change to the form, newest first.
fn history(tr: Tr, history: Vec<domain::AuditEntry>) -> impl IntoView {
    view! {
        <details class="card history">
            <summary>{tr.history()}</summary>
            <table class="data">
                <thead><tr><th scope="col">{tr.when()}</th><th scope="col">{tr.who()}</th><th scope="col">{tr.what()}</th><th scope="col">{tr.before()}</th><th scope="col">{tr.after()}</th><th scope="col">{tr.reason()}</th></tr></thead>
                <tbody>
                    {history.into_iter().rev().map(|h| view! {
                        <tr><td>{h.at.chars().take(19).collect::<String>().replace('T', " ")}</td><td>{h.actor}</td><td class="mono">{h.action.clone()}</td>
                            <td class="mono small">{h.before}</td><td class="mono small">{h.after}</td><td>{h.reason}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// The form as an Excel workbook: the template to download (anyone who
/// reads the form), the upload of a filled one with "check only" (its
/// officer, while the form is editable), and the report of the last upload
/// (`?import=<id>`, where the upload redirects).
#[component]
fn ExcelPanel(pid: i32, editable: bool) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let asked = import_query();
    let report = Resource::new(
        move || asked.get(),
        move |id| async move {
            match id {
                Some(r) => api::import_report(pid, r).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <section class="card excel-panel">
            <h2>{tr.excel_title()}</h2>
            <p class="muted">{tr.excel_note()}</p>
            <TemplateRoundTrip
                download=format!("/files/submissions/{pid}/template?lang={}", locale.tag())
                upload=format!("/files/submissions/{pid}/template")
                editable report by_entity=false/>
        </section>
    }
}

/// The entity's provisional score, band and rank once review is over, its
/// appeals, and the form to file one while the window is open.
#[component]
fn ProvisionalPanel(
    p: domain::Provisional,
    pid: i32,
    questions: Vec<(String, String)>,
    a: Actions,
) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let row = p.row;
    let band = row.band.clone().unwrap_or_default();
    let band_name = crate::components::band_title(&p.bands, &band, locale)
        .unwrap_or_else(|| tr.not_rated().to_owned());
    let num = move |v: Option<f64>| {
        v.map(|v| locale.format_number(v, 1))
            .unwrap_or_else(|| "—".into())
    };
    view! {
        <section class="card provisional" data-rank=row.rank>
            <h2>{tr.provisional_result()}</h2>
            <p class="muted">{tr.provisional_note()}</p>
            <dl class="facts">
                <dt>{tr.index()}</dt><dd class="big" data-index=row.index.map(|x| format!("{x:.3}"))>{num(row.index)}</dd>
                <dt>{tr.band()}</dt><dd><span class=format!("pill band-{band}")>{band_name}</span></dd>
                <dt>{tr.rank()}</dt><dd>{if row.rank > 0 { format!("{} / {}", row.rank, p.rated) } else { tr.not_rated().to_owned() }}</dd>
                <dt>{tr.appeal_window()}</dt><dd>{locale.format_date(&p.appeal_until)}</dd>
            </dl>
            <table class="data domains">
                <tbody>
                    {p.domains.iter().zip(row.domain_scores.iter()).map(|(d, v)| view! {
                        <tr><th scope="row">{d.names.get(locale).to_owned()}</th><td class="num">{num(*v)}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <h3>{tr.appeals()}</h3>
            <crate::appeals::AppealList appeals=p.appeals resolve=None/>
            {p.can_appeal.then(|| view! {
                <details class="appeal-new">
                    <summary>{tr.appeal_file()}</summary>
                    <ActionForm action=a.appeal attr:class="stack appeal-form">
                        <input type="hidden" name="id" value=pid/>
                        <label>{tr.appeal_indicator()}
                            <select name="appeal[indicator]">
                                <option value="">{tr.whole_result()}</option>
                                {questions.into_iter().map(|(code, name)| view! { <option value=code.clone()>{format!("{code} — {name}")}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>{tr.appeal_body()}<textarea name="appeal[body]" rows="3" required></textarea></label>
                        <label>{tr.proposed_value()}<input name="appeal[proposed]"/></label>
                        <label>{tr.evidence_link()}<input type="url" name="appeal[evidence_url]" placeholder="https://"/></label>
                        <button type="submit" class="primary" id="file-appeal">{tr.appeal_file()}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
}

#[component]
#[allow(clippy::too_many_arguments)]
fn Field(
    field: FormField,
    pid: i32,
    editable: bool,
    reviewable: bool,
    issues: RwSignal<Vec<FormIssue>>,
    answered: RwSignal<bool>,
    thread: Vec<domain::CommentItem>,
    a: Actions,
) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let code = StoredValue::new(field.code.clone());
    let text = RwSignal::new(shown_value(&field, locale));
    let note = RwSignal::new(field.comment.clone().unwrap_or_default());
    let version = RwSignal::new(field.version);
    let state = RwSignal::new(SaveState::Idle);
    let prefilled = RwSignal::new(field.prefilled);
    // Edits since load, and the one the last save carried.
    let edits = RwSignal::new(0u64);
    let kind = field.kind.clone();
    let can_edit = editable && !field.locked && field.formula.is_none();
    let s = FieldState {
        text,
        note,
        version,
        state,
        prefilled,
        edits,
    };
    autosave(s, pid, code, issues, answered);
    let edit = move |v: String| {
        text.set(v);
        edits.update(|n| *n += 1);
    };

    let field_issues = move || {
        issues
            .get()
            .into_iter()
            .filter(|i| i.indicator == code.get_value())
            .collect::<Vec<_>>()
    };
    let input_id = format!("in-{}", field.code);
    let hint = field.hint.get(locale).to_owned();
    let control = control(&field, &input_id, can_edit, text, edit, state);
    let review_badge = (field.review != ReviewStatus::Pending).then(|| {
        view! { <span class=format!("pill rv-{}", field.review.as_str())>{review_name(tr, field.review)}</span> }
    });
    let code_s = field.code.clone();
    view! {
        <div class="field" id=format!("f-{}", field.code) data-code=field.code.clone() data-kind=kind.clone()
            data-save-state=move || state.get().name() class:has-hard=move || field_issues().iter().any(|i| i.hard)>
            <div class="field-head">
                <label for=input_id.clone() class="question">
                    <span class="mono code">{field.code.clone()}</span>" "
                    {field.names.get(locale).to_owned()}
                    {field.required.then(|| view! { <abbr class="req" title=tr.required()>"*"</abbr> })}
                </label>
                <span class="save-state" aria-live="polite">{move || match state.get() {
                    SaveState::Waiting | SaveState::Saving => tr.saving().to_owned(),
                    SaveState::Saved => tr.saved().to_owned(),
                    SaveState::Incomplete => tr.incomplete().to_owned(),
                    SaveState::Failed(e) => e,
                    SaveState::Ambiguous { .. } => tr.not_saved().to_owned(),
                    _ => String::new(),
                }}</span>
            </div>
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint.clone()}</p> })}
            {move || prefilled.get().then(|| view! { <p class="prefilled">{tr.prefilled_note()}</p> })}
            {field.source.clone().filter(|s| s != "person" && s != "prefill").map(|s| view! { <p class="muted">{tr.source()}": "{s}</p> })}
            {field.locked.then(|| view! { <p class="muted">{tr.locked_by_feed()}</p> })}
            {field.previous.clone().map(|p| view! { <p class="muted previous" data-previous=p.clone()>{tr.last_round()}": "<strong>{answer_text(tr, &field, &p)}</strong></p> })}
            {field.since_submission.clone().map(|e| view! {
                <p class="changed-since" data-was=e.value.clone().unwrap_or_default()>
                    {format!("{} ({}): ", tr.changed_since_submission(), locale.format_date(&e.at.chars().take(10).collect::<String>()))}
                    <del>{e.value.as_deref().map_or_else(|| "—".into(), |v| answer_text(tr, &field, v))}</del>
                </p>
            })}
            {field.unpublished.clone().map(|was| view! {
                <p class="unpublished-correction alert" role="status" data-published=was.value.map(|v| v.to_string()).unwrap_or_default()>
                    {tr.corrected_unpublished()}": "<strong>{crate::components::answer_number(locale, was.value)}</strong>
                </p>
            })}
            {control}
            {field.link.clone().map(|check| view! { <p class="link-check">{tr.link()}": " <LinkBadge check/></p> })}
            {move || conflict_alert(tr, s, answered)}
            {move || which_number(tr, s)}
            <ul class="field-issues">
                {move || field_issues().into_iter().map(|i| view! {
                    <li class:hard=i.hard class:soft=!i.hard>{issue_heading(tr, &i.code)}" "<span class="muted">{i.detail.clone()}</span>
                        {(!i.hard && !i.justified).then(|| view! { " — " {tr.justify_below()} })}</li>
                }).collect_view()}
            </ul>
            {(field.formula.is_none()).then(|| view! {
                <details class="note" open=!note.get_untracked().is_empty()>
                    <summary>{tr.note_or_justification()}</summary>
                    <textarea rows="2" prop:value=move || note.get() disabled=!can_edit aria-label=tr.note_or_justification()
                        on:input=move |ev| { note.set(event_target_value(&ev)); edits.update(|n| *n += 1); }></textarea>
                </details>
            })}
            <Evidence items=field.evidence.clone() required=field.evidence_required pid code=code_s.clone() editable a/>
            {review_badge}
            {field.reviewed_value.clone().map(|v| view! { <p class="adjusted">{tr.adjusted_to()}": "<strong>{v}</strong></p> })}
            {(!thread.is_empty()).then(|| view! { <Thread comments=thread.clone() pid a/> })}
            {reviewable.then(|| verdict_form(tr, a, pid, code_s.clone()))}
        </div>
    }
}

/// Whether the field's answer is a number (a number, a percentage, a
/// penalty count).
fn is_numeric(field: &FormField) -> bool {
    matches!(field.kind.as_str(), "number" | "percent" | "penalty")
}

/// The stored answer as the field shows it: a number written the reader's
/// way, so that saving it again reads it back unchanged (`1240,5` in
/// Russian and Uzbek, `1240.5` in English; never grouped).
fn shown_value(field: &FormField, locale: Locale) -> String {
    let text = field.value.clone().unwrap_or_default();
    match text.parse::<f64>() {
        Ok(x) if is_numeric(field) => {
            methodology::number::write_unambiguous(x, Notation::Person(locale))
        }
        _ => text,
    }
}

/// The saved value someone else wrote while this one was being edited,
/// with the choice to keep theirs or to save this one over it.
fn conflict_alert(tr: Tr, s: FieldState, answered: RwSignal<bool>) -> AnyView {
    let FieldState {
        text,
        version,
        state,
        edits,
        ..
    } = s;
    let keep_theirs = move |_| {
        if let SaveState::Conflict(c) = state.get_untracked() {
            text.set(c.theirs.clone().unwrap_or_default());
            version.set(c.version);
            answered.set(c.theirs.is_some());
            state.set(SaveState::Saved);
        }
    };
    let use_mine = move |_| {
        if let SaveState::Conflict(c) = state.get_untracked() {
            version.set(c.version);
            state.set(SaveState::Waiting);
            edits.update(|n| *n += 1);
        }
    };
    match state.get() {
        SaveState::Conflict(domain::Conflict { yours, theirs, by, at, .. }) => view! {
            <div class="conflict alert" role="alert">
                <p><strong>{tr.conflict_title()}</strong></p>
                <p>{tr.theirs()}": "<strong class="theirs">{theirs.unwrap_or_else(|| "—".into())}</strong>
                    " (" {by} ", " {at.chars().take(19).collect::<String>().replace('T', " ")} ")"</p>
                <p>{tr.yours()}": "<strong class="yours">{yours.unwrap_or_else(|| "—".into())}</strong></p>
                <button type="button" on:click=keep_theirs>{tr.keep_theirs()}</button>
                " "
                <button type="button" on:click=use_mine>{tr.use_mine()}</button>
            </div>
        }.into_any(),
        _ => ().into_any(),
    }
}

/// A number that reads two ways (`1,240`): the question, and a button for
/// each reading that saves it written so it reads only one way.
fn which_number(tr: Tr, s: FieldState) -> AnyView {
    let SaveState::Ambiguous {
        text: question,
        as_decimal,
        as_grouped,
    } = s.state.get()
    else {
        return ().into_any();
    };
    let locale = tr.locale();
    let choose = move |x: f64| {
        let notation = Notation::Person(locale);
        s.text
            .set(methodology::number::write_unambiguous(x, notation));
        s.state.set(SaveState::Waiting);
        s.edits.update(|n| *n += 1);
    };
    let shown = |x: f64| locale.format_plain(x);
    view! {
        <div class="ambiguous alert" role="alert">
            <p>{question}</p>
            <button type="button" class="choose-decimal" on:click=move |_| choose(as_decimal)>{tr.i_meant()}" "<strong>{shown(as_decimal)}</strong></button>
            " "
            <button type="button" class="choose-grouped" on:click=move |_| choose(as_grouped)>{tr.i_meant()}" "<strong>{shown(as_grouped)}</strong></button>
        </div>
    }
    .into_any()
}

/// The reviewer's verdict on one value: accept, adjust, reject or comment.
fn verdict_form(tr: Tr, a: Actions, pid: i32, code: String) -> impl IntoView {
    view! {
        <ActionForm action=a.review attr:class="inline-form review-form">
            <input type="hidden" name="id" value=pid/>
            <input type="hidden" name="indicator" value=code/>
            <select name="action" aria-label=tr.verdict()>
                {ReviewAction::ALL.iter().map(|x| view! { <option value=x.as_str()>{review_action_name(tr, *x)}</option> }).collect_view()}
            </select>
            <input name="value" placeholder=tr.corrected_value() aria-label=tr.corrected_value()/>
            <input name="reason" placeholder=tr.reason() aria-label=tr.reason()/>
            <button type="submit" class="small">{tr.record_verdict()}</button>
        </ActionForm>
    }
}

/// A comment's kind in the reader's language: a verdict, a decision on
/// the submission, or a reply.
fn comment_action_name(tr: Tr, action: &str) -> String {
    if let Ok(a) = ReviewAction::parse(action) {
        return review_action_name(tr, a).to_owned();
    }
    match action {
        "return" => tr.act_returned(),
        "approve" => tr.act_approved(),
        "endorse" => tr.act_endorsed(),
        "reply" => tr.act_reply(),
        other => other,
    }
    .to_owned()
}

fn review_action_name(tr: Tr, a: ReviewAction) -> &'static str {
    match a {
        ReviewAction::Accept => tr.ra_accept(),
        ReviewAction::Adjust => tr.ra_adjust(),
        ReviewAction::Reject => tr.ra_reject(),
        ReviewAction::Comment => tr.ra_comment(),
    }
}

/// The input control of one question.
fn control(
    field: &FormField,
    id: &str,
    can_edit: bool,
    text: RwSignal<String>,
    edit: impl Fn(String) + Copy + Send + Sync + 'static,
    state: RwSignal<SaveState>,
) -> AnyView {
    let tr = use_tr();
    let locale = tr.locale();
    let id = id.to_owned();
    let disabled = !can_edit;
    match field.kind.as_str() {
        "formula" => view! {
            <p class="formula" id=id>"= " <span class="mono">{field.formula.clone()}</span>" "<span class="muted">{tr.computed()}</span></p>
        }
        .into_any(),
        "yes_no" => {
            let name = format!("yn-{}", field.code);
            view! {
                <div class="choices" role="radiogroup" id=id>
                    <label><input type="radio" name=name.clone() value="yes" disabled=disabled prop:checked=move || text.get() == "yes" on:change=move |_| edit("yes".into())/>{tr.yes()}</label>
                    <label><input type="radio" name=name value="no" disabled=disabled prop:checked=move || text.get() == "no" on:change=move |_| edit("no".into())/>{tr.no()}</label>
                </div>
            }
            .into_any()
        }
        "choice" => view! {
            <select id=id disabled=disabled prop:value=move || text.get() on:change=move |ev| edit(event_target_value(&ev))>
                <option value="">"—"</option>
                {field.options.iter().map(|(c, n)| view! { <option value=c.clone() selected=text.get_untracked() == *c>{n.get(locale).to_owned()}</option> }).collect_view()}
            </select>
        }
        .into_any(),
        "checklist" => view! {
            <fieldset class="checklist" id=id>
                {field.options.iter().map(|(c, n)| {
                    let c2 = c.clone();
                    let c3 = c.clone();
                    let checked = move || text.get().split(';').any(|x| x.trim() == c2);
                    view! {
                        <label><input type="checkbox" value=c.clone() disabled=disabled prop:checked=checked
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let mut items: Vec<String> = text.get_untracked().split(';').map(|x| x.trim().to_owned()).filter(|x| !x.is_empty() && *x != c3).collect();
                                if on { items.push(c3.clone()); }
                                edit(items.join(";"));
                            }/>{n.get(locale).to_owned()}</label>
                    }
                }).collect_view()}
            </fieldset>
        }
        .into_any(),
        "legal_act" => {
            // type|number|date|link, saved once all four are there.
            let part = move |k: usize| text.get().split('|').nth(k).unwrap_or_default().to_owned();
            let set = move |k: usize, v: String| {
                let mut parts: Vec<String> = (0..4).map(|i| text.get_untracked().split('|').nth(i).unwrap_or_default().to_owned()).collect();
                parts[k] = v.replace('|', "/");
                let joined = parts.join("|");
                if parts.iter().all(|p| p.trim().is_empty()) {
                    edit(String::new());
                } else if parts.iter().any(|p| p.trim().is_empty()) {
                    text.set(joined);
                    state.set(SaveState::Incomplete);
                } else {
                    edit(joined);
                }
            };
            view! {
                <div class="legal-act grid4" id=id>
                    <label>{tr.act_type()}<input class="act-type" disabled=disabled prop:value=move || part(0) on:input=move |ev| set(0, event_target_value(&ev))/></label>
                    <label>{tr.act_number()}<input class="act-number" disabled=disabled prop:value=move || part(1) on:input=move |ev| set(1, event_target_value(&ev))/></label>
                    <label>{tr.act_date()}<input class="act-date" type="date" disabled=disabled prop:value=move || part(2) on:input=move |ev| set(2, event_target_value(&ev))/></label>
                    <label>{tr.act_link()}<input class="act-link" type="url" disabled=disabled prop:value=move || part(3) on:input=move |ev| set(3, event_target_value(&ev))/></label>
                </div>
            }
            .into_any()
        }
        "text" => view! {
            <textarea id=id rows="3" disabled=disabled prop:value=move || text.get() on:input=move |ev| edit(event_target_value(&ev))></textarea>
        }
        .into_any(),
        "url" => view! {
            <input id=id type="url" placeholder="https://" disabled=disabled prop:value=move || text.get() on:input=move |ev| edit(event_target_value(&ev))/>
        }
        .into_any(),
        _ => {
            let l = tr.locale();
            let range = field
                .range
                .map(|(a, b)| format!("{} – {}", l.format_plain(a), l.format_plain(b)));
            view! {
                <span class="number">
                    <input id=id inputmode="decimal" disabled=disabled prop:value=move || text.get() on:input=move |ev| edit(event_target_value(&ev))/>
                    {field.unit.clone().map(|u| view! { <span class="unit">{u}</span> })}
                    {range.map(|r| view! { <span class="muted range">{r}</span> })}
                </span>
            }
            .into_any()
        }
    }
}

#[component]
fn Evidence(
    items: Vec<domain::EvidenceItem>,
    required: bool,
    pid: i32,
    code: String,
    editable: bool,
    a: Actions,
) -> impl IntoView {
    let tr = use_tr();
    let has = !items.is_empty();
    let file_code = code.clone();
    view! {
        <div class="evidence">
            {(required || has).then(|| view! {
                <p class="muted">{tr.evidence()}{required.then(|| view! { <abbr class="req" title=tr.required()>"*"</abbr> })}</p>
            })}
            <ul>
                {items.into_iter().map(|e| view! {
                    <li data-evidence=e.kind.clone()>
                        {match e.url.clone() {
                            Some(u) if e.kind == "file" => view! {
                                <a href=u rel="external" download>{e.label.clone()}</a>
                                <span class="muted small mono" title=e.sha256.clone()>{format!(" SHA-256 {}…", e.sha256.clone().unwrap_or_default().chars().take(12).collect::<String>())}</span>
                            }.into_any(),
                            Some(u) => view! { <a href=u rel="noopener noreferrer" target="_blank">{e.label.clone()}</a> }.into_any(),
                            None => view! { <span>{e.label.clone()}</span> }.into_any(),
                        }}
                        {e.link.clone().map(|check| view! { " " <LinkBadge check/> })}
                        {editable.then(|| view! {
                            <ActionForm action=a.remove_evidence attr:class="inline">
                                <input type="hidden" name="evidence" value=e.id/>
                                <button type="submit" class="small">{tr.remove()}</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {editable.then(|| view! {
                <details class="add-evidence">
                    <summary>{tr.add_evidence()}</summary>
                    <ActionForm action=a.add_evidence attr:class="inline-form link-form">
                        <input type="hidden" name="id" value=pid/>
                        <input type="hidden" name="indicator" value=code.clone()/>
                        <label>{tr.link()}<input name="url" type="url" required placeholder="https://"/></label>
                        <label>{tr.act_type_optional()}<input name="act_type"/></label>
                        <label>{tr.act_number()}<input name="act_number"/></label>
                        <label>{tr.act_date()}<input name="act_date" type="date"/></label>
                        <button type="submit" class="small">{tr.attach()}</button>
                    </ActionForm>
                    <form method="post" enctype="multipart/form-data" class="inline-form upload-form" action=format!("/files/submissions/{pid}/evidence")>
                        <input type="hidden" name="indicator" value=file_code/>
                        <label>{tr.evidence_file()}<input type="file" name="file" required accept=".pdf,.png,.jpg,.jpeg,.xlsx,.docx,.ods,.odt,.csv,.txt"/></label>
                        <button type="submit" class="small">{tr.upload()}</button>
                    </form>
                </details>
            })}
        </div>
    }
}

/// What the background checker last saw at a link: a small pill with the
/// outcome, and the status, reason and time in its tooltip.
#[component]
pub fn LinkBadge(check: domain::LinkCheck) -> impl IntoView {
    let tr = use_tr();
    let name = match check.outcome {
        LinkOutcome::Pending => tr.link_pending(),
        LinkOutcome::Ok => tr.link_ok(),
        LinkOutcome::Broken => tr.link_broken(),
        LinkOutcome::Unreachable => tr.link_unreachable(),
    };
    let text = match check.http_status {
        Some(code) if check.outcome != LinkOutcome::Ok => format!("{name} ({code})"),
        _ => name.to_owned(),
    };
    let title = [
        check.detail.clone(),
        check.checked_at.as_deref().map(|t| {
            format!(
                "{} {}",
                tr.link_checked_at(),
                t.chars().take(16).collect::<String>().replace('T', " ")
            )
        }),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    view! {
        <span class=format!("pill link-{}", check.outcome.as_str()) data-link=check.outcome.as_str() title=title>{text}</span>
    }
}

#[component]
fn Thread(comments: Vec<domain::CommentItem>, pid: i32, a: Actions) -> impl IntoView {
    let tr = use_tr();
    view! {
        <ul class="thread">
            {comments.into_iter().map(|c| {
                let reply_to = c.parent.unwrap_or(c.id);
                view! {
                    <li class=format!("comment act-{}", c.action) class:reply=c.parent.is_some()>
                        <p><strong>{c.author.clone()}</strong>" · "<span class="muted">{c.at.chars().take(16).collect::<String>().replace('T', " ")}</span>
                            " · "<span class="pill" data-action=c.action.clone()>{comment_action_name(tr, &c.action)}</span></p>
                        <p class="body">{c.body.clone()}</p>
                        {c.parent.is_none().then(|| view! {
                            <details class="reply-box">
                                <summary>{tr.reply()}</summary>
                                <ActionForm action=a.reply attr:class="inline-form">
                                    <input type="hidden" name="id" value=pid/>
                                    <input type="hidden" name="parent" value=reply_to/>
                                    <input name="body" required aria-label=tr.reply()/>
                                    <button type="submit" class="small">{tr.send()}</button>
                                </ActionForm>
                            </details>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// A stored answer as a person reads it: the option's name for a choice
/// or a checklist, yes or no in the reader's language; anything else as
/// it is stored.
fn answer_text(tr: Tr, field: &domain::FormField, value: &str) -> String {
    let label = |code: &str| {
        field
            .options
            .iter()
            .find(|(c, _)| c == code)
            .map_or_else(|| code.to_owned(), |(_, n)| n.get(tr.locale()).to_owned())
    };
    match field.kind.as_str() {
        "choice" => label(value.trim()),
        "checklist" => value
            .split(';')
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(label)
            .collect::<Vec<_>>()
            .join(", "),
        "yes_no" => match value.trim() {
            "yes" => tr.yes().to_owned(),
            "no" => tr.no().to_owned(),
            other => other.to_owned(),
        },
        _ if is_numeric(field) => value
            .trim()
            .parse::<f64>()
            .map_or_else(|_| value.to_owned(), |x| tr.locale().format_plain(x)),
        _ => value.to_owned(),
    }
}
