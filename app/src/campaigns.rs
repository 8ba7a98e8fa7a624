//! Campaign pages for ministry staff and officers: the list (and the
//! new-campaign form), a campaign's cockpit, and the review queue.

use crate::{
    api,
    appeals::AppealList,
    components::{
        Denied, ErrorNote, NotFound, campaign_status_name, error_text, id_param, kind_name,
        submission_status_name,
    },
    i18n::{Tr, use_tr},
    league::LeagueRows,
};
use domain::{CampaignStatus, CampaignSummary, Cockpit, EntityKind, QueueFilter, SubmissionStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_query_map};

/// A stacked bar of submission states (counts in `SubmissionStatus::ALL`
/// order), with the numbers written out for screen readers and print.
#[component]
pub fn ProgressBar(counts: domain::StatusCounts) -> impl IntoView {
    let tr = use_tr();
    let total: u32 = counts.iter().sum::<u32>().max(1);
    let text = SubmissionStatus::ALL
        .iter()
        .zip(counts)
        .map(|(s, n)| format!("{}: {n}", submission_status_name(tr, *s)))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div class="progress" role="img" aria-label=text.clone() title=text>
            {SubmissionStatus::ALL.iter().zip(counts).filter(|(_, n)| *n > 0).map(|(s, n)| view! {
                <span class=format!("seg ss-{}", s.as_str()) style=format!("width:{:.2}%", f64::from(n) * 100.0 / f64::from(total))></span>
            }).collect_view()}
        </div>
    }
}

/// Every campaign the user works on; campaign managers create new ones.
#[component]
pub fn Campaigns() -> impl IntoView {
    let tr = use_tr();
    let create = ServerAction::<api::CreateCampaign>::new();
    let list = Resource::new(move || create.version().get(), |_| api::list_campaigns());
    let methodologies = Resource::new(|| (), |_| api::list_methodologies());
    let error = Signal::derive(move || {
        create
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| error_text(&e))
    });
    let manager = move || {
        crate::session::use_user()
            .get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.has(domain::Role::Admin) || u.has(domain::Role::Methodologist))
    };
    view! {
        <Title text=tr.campaigns_title()/>
        <h1>{tr.campaigns_title()}</h1>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <Denied signed_in=!e.needs_sign_in()/> }.into_any(),
                Ok(list) => view! {
                    {manager().then(|| view! {
                        <details class="card" open=error.get().is_some()>
                            <summary>{tr.new_campaign()}</summary>
                            <ErrorNote error/>
                            <ActionForm action=create attr:class="stack campaign-form">
                                <div class="grid2">
                                    <label>{tr.code()}<input name="form[code]" required pattern="[a-z0-9-]+" placeholder="2025-districts"/></label>
                                    <label>{tr.period()}<input name="form[period]" required placeholder="2025, 2025Q3, 2025S1"/></label>
                                    <label>{tr.kind()}
                                        <select name="form[kind]">
                                            {EntityKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{kind_name(tr, *k)}</option> }).collect_view()}
                                        </select>
                                    </label>
                                    <label>{tr.methodology_version()}
                                        <select name="form[methodology]">
                                            {move || methodologies.get().and_then(Result::ok).map(|ms| ms.into_iter().map(|m| {
                                                let key = format!("{}@{}", m.code, m.version);
                                                view! { <option value=key.clone()>{format!("{key} — {}", m.title.get(tr.locale()))}</option> }
                                            }).collect_view())}
                                        </select>
                                    </label>
                                    <label lang="uz-Latn">"Nomi (oʻzbekcha)"<input name="form[name_uz_latn]" required/></label>
                                    <label lang="uz-Cyrl">"Номи (ўзбекча)"<input name="form[name_uz_cyrl]" required/></label>
                                    <label lang="ru">"Название (русский)"<input name="form[name_ru]" required/></label>
                                    <label lang="en">"Name (English)"<input name="form[name_en]" required/></label>
                                    <label>{tr.opens_on()}<input type="date" name="form[opens_on]" required/></label>
                                    <label>{tr.deadline()}<input type="date" name="form[deadline]" required/></label>
                                    <label>{tr.review_deadline()}<input type="date" name="form[review_deadline]" required/></label>
                                    <label>{tr.appeal_until()}<input type="date" name="form[appeal_until]" required/></label>
                                </div>
                                <fieldset>
                                    <legend>{tr.participants()}</legend>
                                    <label><input type="radio" name="form[pick]" value="all" checked/>{tr.pick_all()}</label>
                                    <label><input type="radio" name="form[pick]" value="region"/>{tr.pick_region()}<input name="form[region]" placeholder="1703"/></label>
                                    <label><input type="radio" name="form[pick]" value="codes"/>{tr.pick_codes()}<textarea name="form[codes]" rows="2"></textarea></label>
                                </fieldset>
                                <label class="check"><input type="checkbox" name="form[region_review]" id="region-review"/>{tr.region_review_pick()}</label>
                                <button type="submit" class="primary">{tr.create_draft()}</button>
                            </ActionForm>
                        </details>
                    })}
                    {if list.is_empty() {
                        view! { <p>{tr.no_campaigns()}</p> }.into_any()
                    } else {
                        view! { <CampaignTable list/> }.into_any()
                    }}
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CampaignTable(list: Vec<CampaignSummary>) -> impl IntoView {
    let tr = use_tr();
    view! {
        <table class="data campaigns">
            <thead><tr>
                <th scope="col">{tr.campaign()}</th>
                <th scope="col">{tr.kind()}</th>
                <th scope="col">{tr.status()}</th>
                <th scope="col">{tr.deadline()}</th>
                <th scope="col">{tr.progress()}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|c| {
                    let counted = format!("{} / {}", domain::count_where(&c.counts, |s| !matches!(s, SubmissionStatus::NotStarted | SubmissionStatus::InProgress)), c.participants());
                    view! {
                    <tr data-code=c.code.clone()>
                        <td><A href=format!("/campaigns/{}", c.id)>{c.names.get(tr.locale()).to_owned()}</A>
                            <div class="muted mono">{c.code.clone()}" · "{c.methodology.clone()}</div></td>
                        <td>{kind_name(tr, c.kind)}</td>
                        <td><span class=format!("pill cs-{}", c.status.as_str())>{campaign_status_name(tr, c.status)}</span></td>
                        <td>{c.deadline.clone()}</td>
                        <td><ProgressBar counts=c.counts/><span class="muted">{counted}</span></td>
                    </tr>
                }}).collect_view()}
            </tbody>
        </table>
    }
}

/// A campaign's cockpit: its state and the next step, reminders, progress
/// per region and per entity (filter and sort), deadline extensions.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let tr = use_tr();
    let id = id_param();
    let advance = ServerAction::<api::AdvanceCampaign>::new();
    let remind = ServerAction::<api::Remind>::new();
    let extend = ServerAction::<api::ExtendDeadline>::new();
    let cockpit = Resource::new(
        move || {
            (
                id.get(),
                advance.version().get(),
                remind.version().get(),
                extend.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => api::campaign_cockpit(id).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let error = Signal::derive(move || {
        [
            advance.value().get().and_then(Result::err),
            remind.value().get().and_then(Result::err),
            extend.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| error_text(&e))
    });
    let reminded = move || remind.value().get().and_then(Result::ok);
    view! {
        <ErrorNote error/>
        {move || reminded().map(|n| view! { <p class="alert ok" role="status">{format!("{}: {n}", tr.reminded())}</p> })}
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || cockpit.get().map(|r| match r {
                Ok(Some(c)) => view! { <CockpitView c advance remind extend/> }.into_any(),
                Ok(None) => view! { <NotFound/> }.into_any(),
                Err(e) => view! { <Denied signed_in=!e.needs_sign_in()/> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn CockpitView(
    c: Cockpit,
    advance: ServerAction<api::AdvanceCampaign>,
    remind: ServerAction<api::Remind>,
    extend: ServerAction<api::ExtendDeadline>,
) -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let status_filter = move || {
        query
            .read()
            .get("status")
            .and_then(|s| SubmissionStatus::parse(&s).ok())
    };
    let overdue_only = move || query.read().get("overdue").is_some();
    let sort = move || query.read().get("sort").unwrap_or_default();
    let campaign = c.campaign.clone();
    let id = campaign.id.0;
    let rows = c.rows.clone();
    let title = campaign.names.get(tr.locale()).to_owned();
    let visible = move || {
        let mut rows: Vec<_> = rows
            .iter()
            .filter(|r| status_filter().is_none_or(|s| r.status == s))
            .filter(|r| !overdue_only() || r.overdue)
            .cloned()
            .collect();
        match sort().as_str() {
            "progress" => rows.sort_by_key(|r| std::cmp::Reverse(r.answered)),
            "status" => rows.sort_by_key(|r| r.status),
            "region" => rows.sort_by(|a, b| {
                let name = |r: &domain::CockpitRow| {
                    r.region.as_ref().map(|n| n.get(tr.locale()).to_owned())
                };
                name(a).cmp(&name(b))
            }),
            _ => {}
        }
        rows
    };
    view! {
        <Title text=title.clone()/>
        <nav class="breadcrumb"><A href="/campaigns">{tr.campaigns_title()}</A></nav>
        <h1>{title}</h1>
        {cockpit_head(tr, &c, advance, remind)}
        {(campaign.status == CampaignStatus::UnderReview || campaign.status.has_results())
            .then(|| view! { <ResultsPanel id/> })}
        {(c.regions.len() > 1).then(|| by_region(tr, &c))}
        <section class="card">
            <h2>{tr.participants()}</h2>
            <form method="get" class="inline-form filters">
                <label>{tr.status()}
                    <select name="status">
                        <option value="">{tr.all()}</option>
                        {SubmissionStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=move || status_filter() == Some(*s)>{submission_status_name(tr, *s)}</option> }).collect_view()}
                    </select>
                </label>
                <label><input type="checkbox" name="overdue" value="1" checked=overdue_only/>{tr.overdue_only()}</label>
                <label>{tr.sort_by()}
                    <select name="sort">
                        <option value="">{tr.name()}</option>
                        <option value="region" selected=move || sort() == "region">{tr.region()}</option>
                        <option value="status" selected=move || sort() == "status">{tr.status()}</option>
                        <option value="progress" selected=move || sort() == "progress">{tr.progress()}</option>
                    </select>
                </label>
                <button type="submit">{tr.apply()}</button>
            </form>
            <table class="data cockpit">
                <thead><tr>
                    <th scope="col">{tr.entity()}</th><th scope="col">{tr.region()}</th><th scope="col">{tr.status()}</th>
                    <th scope="col" class="num">{tr.answers()}</th><th scope="col">{tr.deadline()}</th><th scope="col">{tr.actions()}</th>
                </tr></thead>
                <tbody>
                    {move || visible().into_iter().map(|r| participant_row(tr, r, extend)).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// The campaign's facts, its participants' progress and the actions that
/// move it on.
fn cockpit_head(
    tr: Tr,
    c: &Cockpit,
    advance: ServerAction<api::AdvanceCampaign>,
    remind: ServerAction<api::Remind>,
) -> impl IntoView + use<> {
    let campaign = &c.campaign;
    let (id, status) = (campaign.id.0, campaign.status);
    let next = status.next();
    let overdue = c.rows.iter().filter(|r| r.overdue).count();
    view! {
        <section class="card cockpit-head">
            <dl class="facts">
                <dt>{tr.status()}</dt><dd><span class=format!("pill cs-{}", campaign.status.as_str()) data-status=campaign.status.as_str()>{campaign_status_name(tr, campaign.status)}</span></dd>
                <dt>{tr.period()}</dt><dd>{campaign.period.clone()}</dd>
                <dt>{tr.methodology_version()}</dt><dd class="mono">{campaign.methodology.clone()}</dd>
                <dt>{tr.opens_on()}</dt><dd>{campaign.opens_on.clone()}</dd>
                <dt>{tr.deadline()}</dt><dd>{campaign.deadline.clone()}</dd>
                <dt>{tr.review_deadline()}</dt><dd>{campaign.review_deadline.clone()}</dd>
                <dt>{tr.appeal_until()}</dt><dd>{campaign.appeal_until.clone()}</dd>
                <dt>{tr.review_levels()}</dt><dd data-region-review=campaign.region_review.to_string()>{if campaign.region_review { tr.review_region_then_ministry() } else { tr.review_ministry_only() }}</dd>
                <dt>{tr.reminders_sent()}</dt><dd>{c.reminders_sent}</dd>
            </dl>
            <ProgressBar counts=campaign.counts/>
            <ul class="legend">
                {SubmissionStatus::ALL.iter().zip(campaign.counts).map(|(s, n)| view! {
                    <li><span class=format!("swatch ss-{}", s.as_str())></span>{submission_status_name(tr, *s)}": "<strong>{n}</strong></li>
                }).collect_view()}
                <li>{tr.overdue()}": "<strong>{overdue}</strong></li>
            </ul>
            <div class="actions">
                {next.map(|n| view! {
                    <ActionForm action=advance attr:class="inline-form">
                        <input type="hidden" name="id" value=id/>
                        <input type="hidden" name="from" value=status.as_str()/>
                        <label>{tr.reason_optional()}<input name="reason"/></label>
                        <button type="submit" class="primary" data-next=n.as_str()>{format!("{}: {}", tr.move_to(), campaign_status_name(tr, n))}</button>
                    </ActionForm>
                })}
                {(campaign.status == CampaignStatus::Open).then(|| view! {
                    <ActionForm action=remind attr:class="inline">
                        <input type="hidden" name="id" value=id/>
                        <button type="submit">{tr.send_reminders()}</button>
                    </ActionForm>
                })}
                <a class="button" href=format!("/review?campaign={}", campaign.code)>{tr.review_queue()}</a>
            </div>
        </section>
    }
}

/// Progress by region; in a district campaign each region links to its
/// page.
fn by_region(tr: Tr, c: &Cockpit) -> impl IntoView + use<> {
    let (cid, districts) = (c.campaign.id.0, c.campaign.kind == EntityKind::District);
    let regions = c.regions.clone();
    view! {
        <section class="card">
            <h2>{tr.by_region()}</h2>
            <table class="data regions">
                <thead><tr><th scope="col">{tr.region()}</th><th scope="col">{tr.progress()}</th>
                    {SubmissionStatus::ALL.iter().map(|s| view! { <th scope="col" class="num">{submission_status_name(tr, *s)}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {regions.into_iter().map(|(region, name, counts)| view! {
                        <tr><th scope="row">{match region {
                                // A region's page: its districts and their Excel template.
                                Some(r) if districts => view! { <A href=format!("/campaigns/{cid}/regions/{}", r.0)>{name.get(tr.locale()).to_owned()}</A> }.into_any(),
                                _ => view! { <span>{name.get(tr.locale()).to_owned()}</span> }.into_any(),
                            }}</th><td><ProgressBar counts=counts/></td>
                            {counts.into_iter().map(|n| view! { <td class="num">{n}</td> }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// One participant: its entity, progress and deadline, and the form that
/// extends the deadline.
fn participant_row(
    tr: Tr,
    r: domain::CockpitRow,
    extend: ServerAction<api::ExtendDeadline>,
) -> impl IntoView {
    let pid = r.participant.0;
    view! {
        <tr class:overdue=r.overdue data-entity=r.entity.code.clone() data-status=r.status.as_str()>
            <td><A href=format!("/submissions/{pid}")>{r.entity.names.get(tr.locale()).to_owned()}</A></td>
            <td>{r.region.as_ref().map(|n| n.get(tr.locale()).to_owned())}</td>
            <td><span class=format!("pill ss-{}", r.status.as_str())>{submission_status_name(tr, r.status)}</span>
                {r.overdue.then(|| view! { " " <span class="pill warn">{tr.overdue()}</span> })}</td>
            <td class="num">{format!("{} / {}", r.answered, r.questions)}</td>
            <td>{r.deadline.clone()}{r.extended.then(|| view! { " " <span class="muted">{tr.extended()}</span> })}</td>
            <td>
                <details class="extend">
                    <summary>{tr.extend_deadline()}</summary>
                    <ActionForm action=extend attr:class="inline-form">
                        <input type="hidden" name="participant" value=pid/>
                        <label>{tr.until()}<input type="date" name="until" required/></label>
                        <label>{tr.reason()}<input name="reason" required/></label>
                        <button type="submit" class="small">{tr.extend_deadline()}</button>
                    </ActionForm>
                </details>
            </td>
        </tr>
    }
}

/// Submitted work waiting for review, filtered by league, region, flags and
/// lateness.
#[component]
pub fn ReviewQueue() -> impl IntoView {
    let tr = use_tr();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        QueueFilter {
            kind: q.get("kind").and_then(|k| EntityKind::parse(&k).ok()),
            region: q.get("region").filter(|r| !r.is_empty()),
            flagged: q.get("flagged").is_some(),
            late: q.get("late").is_some(),
            all: q.get("all").is_some(),
        }
    });
    let campaign = move || query.read().get("campaign").filter(|c| !c.is_empty());
    let items = Resource::new(move || filter.get(), api::review_queue);
    view! {
        <Title text=tr.review_queue()/>
        <h1>{tr.review_queue()}</h1>
        <form method="get" class="inline-form filters card">
            <label>{tr.kind()}
                <select name="kind">
                    <option value="">{tr.all()}</option>
                    {EntityKind::ALL.iter().map(|k| view! { <option value=k.as_str() selected=move || filter.get().kind == Some(*k)>{kind_name(tr, *k)}</option> }).collect_view()}
                </select>
            </label>
            <label>{tr.region_code()}<input name="region" size="6" prop:value=move || filter.get().region.unwrap_or_default()/></label>
            <label><input type="checkbox" name="flagged" value="1" checked=move || filter.get().flagged/>{tr.flagged_only()}</label>
            <label><input type="checkbox" name="late" value="1" checked=move || filter.get().late/>{tr.late_only()}</label>
            <label><input type="checkbox" name="all" value="1" checked=move || filter.get().all/>{tr.include_decided()}</label>
            <button type="submit">{tr.apply()}</button>
        </form>
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || items.get().map(|r| match r {
                Err(e) => view! { <Denied signed_in=!e.needs_sign_in()/> }.into_any(),
                Ok(items) => {
                    let items: Vec<_> = items.into_iter().filter(|i| campaign().is_none_or(|c| c == i.campaign)).collect();
                    if items.is_empty() {
                        view! { <p>{tr.queue_empty()}</p> }.into_any()
                    } else {
                        view! {
                            <table class="data queue">
                                <thead><tr>
                                    <th scope="col">{tr.entity()}</th><th scope="col">{tr.region()}</th><th scope="col">{tr.campaign()}</th>
                                    <th scope="col">{tr.status()}</th><th scope="col">{tr.submitted_at()}</th>
                                    <th scope="col" class="num">{tr.flagged()}</th><th scope="col" class="num">{tr.pending_values()}</th>
                                </tr></thead>
                                <tbody>
                                    {items.into_iter().map(|i| view! {
                                        <tr data-entity=i.entity.code.clone()>
                                            <td><A href=format!("/submissions/{}", i.participant)>{i.entity.names.get(tr.locale()).to_owned()}</A></td>
                                            <td>{i.region.as_ref().map(|n| n.get(tr.locale()).to_owned())}</td>
                                            <td>{i.campaign_names.get(tr.locale()).to_owned()}</td>
                                            <td><span class=format!("pill ss-{}", i.status.as_str())>{submission_status_name(tr, i.status)}</span>
                                                {i.late.then(|| view! { " " <span class="pill warn">{tr.late()}</span> })}</td>
                                            <td>{i.submitted_at.as_deref().map(|t| t.chars().take(16).collect::<String>().replace('T', " "))}</td>
                                            <td class="num">{i.flagged}</td>
                                            <td class="num">{i.pending}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// Past review: the league as it scores now, the appeals to decide and,
/// once final, publication (with embargo), corrections and retraction.
#[component]
fn ResultsPanel(id: i32) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let resolve = ServerAction::<api::ResolveAppeal>::new();
    let publish = ServerAction::<api::PublishRating>::new();
    let nominate = ServerAction::<api::Nominate>::new();
    let results = Resource::new(
        move || {
            (
                resolve.version().get(),
                publish.version().get(),
                nominate.version().get(),
            )
        },
        move |_| api::campaign_results(id),
    );
    let error = Signal::derive(move || {
        [
            resolve.value().get().and_then(Result::err),
            publish.value().get().and_then(Result::err),
            nominate.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
        .map(|e| error_text(&e))
    });
    let published = move || publish.value().get().and_then(Result::ok);
    view! {
        <ErrorNote error/>
        {move || published().map(|_| view! { <p class="alert ok" role="status">{tr.published_ok()}</p> })}
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || results.get().map(|r| match r {
                Err(e) => view! { <p class="alert error" role="alert">{error_text(&e)}</p> }.into_any(),
                Ok(r) => {
                    let kind = r.league.kind;
                    let code = r.league.campaign.clone();
                    view! {
                        <section class="card appeals-panel">
                            <h2>{tr.appeals()}</h2>
                            <AppealList appeals=r.appeals resolve=r.can_resolve.then_some(resolve)/>
                        </section>
                        {(r.can_publish || !r.revisions.is_empty()).then(|| view! {
                            <section class="card publish-panel">
                                <h2>{tr.publication()}</h2>
                                {(!r.revisions.is_empty()).then(|| revisions_table(tr, &r.revisions, kind, &code))}
                                {(!r.revisions.is_empty() && r.can_publish).then(|| {
                                    pending_corrections(tr, &r.pending_corrections, &r.correction_effects, &r.league.bands)
                                })}
                                {r.can_publish.then(|| publish_form(tr, publish, id))}
                            </section>
                        })}
                        <section class="card nominations-panel">
                            <h2>{tr.nominations()}</h2>
                            <crate::league::NominationList
                                nominations=r.league.nominations.clone()
                                domains=r.league.domains.clone()
                                edit=r.can_publish.then(|| {
                                    let rated = r.league.rows.iter().filter(|x| x.rank > 0).map(|x| (x.entity.id.0, x.entity.names.get(locale).to_owned())).collect();
                                    (id, nominate, rated)
                                })/>
                        </section>
                        <section class="card draft-league">
                            <h2>{tr.results_draft()}</h2>
                            <p class="muted">{tr.results_draft_note()}</p>
                            <LeagueRows payload=r.league/>
                        </section>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The published revisions of the campaign's rating, each linked to its
/// league.
fn revisions_table(
    tr: Tr,
    revisions: &[domain::RevisionItem],
    kind: EntityKind,
    code: &str,
) -> impl IntoView + use<> {
    let locale = tr.locale();
    view! {
        <table class="data revisions">
            <thead><tr>
                <th scope="col">{tr.revision()}</th>
                <th scope="col">{tr.status()}</th>
                <th scope="col">{tr.published_on()}</th>
                <th scope="col">{tr.embargo_until()}</th>
                <th scope="col">{tr.changelog()}</th>
                <th scope="col">"SHA-256"</th>
            </tr></thead>
            <tbody>
                {revisions.iter().map(|v| view! {
                    <tr data-revision=v.revision data-status=v.status.clone()>
                        <td class="num"><a href=format!("/ratings/{kind}?campaign={code}")>{v.revision}</a></td>
                        <td>{if v.status == "retracted" { tr.retracted() } else { tr.revision_published() }}</td>
                        <td>{locale.format_date(&v.published_at)}</td>
                        <td>{v.embargo_until.clone().map(|e| e.chars().take(16).collect::<String>().replace('T', " ") + " UTC")}</td>
                        <td>{v.changelog.clone()}</td>
                        <td class="mono small" title=v.sha256.clone()>{v.sha256.chars().take(12).collect::<String>()}"…"</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Corrections approved since the last revision, waiting to be published,
/// and what publishing them would change.
fn pending_corrections(
    tr: Tr,
    corrections: &[domain::Correction],
    effects: &[domain::CorrectionEffect],
    bands: &[domain::BandDef],
) -> impl IntoView + use<> {
    let locale = tr.locale();
    view! {
        <section class="pending-corrections" data-count=corrections.len()>
            <h3>{tr.pending_corrections()}</h3>
            {if corrections.is_empty() {
                view! { <p class="muted">{tr.no_pending_corrections()}</p> }.into_any()
            } else {
                let bands = bands.to_vec();
                let band = move |code: &Option<String>| code.as_deref().and_then(|c| crate::components::band_title(&bands, c, locale)).unwrap_or_else(|| "—".into());
                view! {
                    <p class="alert" role="status">{tr.pending_corrections_note()}</p>
                    <crate::components::CorrectionTable corrections=corrections.to_vec()/>
                    {(!effects.is_empty()).then(|| view! {
                        <h4>{tr.correction_effects()}</h4>
                        <div class="table-scroll">
                            <table class="data correction-effects">
                                <thead><tr>
                                    <th scope="col">{tr.entity()}</th>
                                    <th scope="col" class="num">{tr.index()}</th>
                                    <th scope="col">{tr.band()}</th>
                                    <th scope="col" class="num">{tr.rank()}</th>
                                </tr></thead>
                                <tbody>
                                    {effects.iter().map(|e| view! {
                                        <tr data-entity=e.entity.code.clone()>
                                            <td>{e.entity.names.get(locale).to_owned()}</td>
                                            <td class="num">{crate::components::answer_number(locale, e.before.index.map(|x| (x * 100.0).round() / 100.0))}" → "{crate::components::answer_number(locale, e.after.index.map(|x| (x * 100.0).round() / 100.0))}</td>
                                            <td>{band(&e.before.band)}" → "{band(&e.after.band)}</td>
                                            <td class="num">{e.before.rank}" → "{e.after.rank}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })}
                }.into_any()
            }}
        </section>
    }
}

/// Publishes a new revision (with an optional embargo) or retracts one.
fn publish_form(tr: Tr, publish: ServerAction<api::PublishRating>, id: i32) -> impl IntoView {
    view! {
        <ActionForm action=publish attr:class="stack publish-form">
            <input type="hidden" name="id" value=id/>
            <label>{tr.embargo_until()}<input type="datetime-local" name="request[embargo_until]"/></label>
            <label>{tr.changelog()}<input name="request[changelog]"/></label>
            <label><input type="checkbox" name="request[retract]" value="true"/>{tr.retract()}</label>
            <button type="submit" class="primary" id="publish">{tr.publish()}</button>
        </ActionForm>
    }
}

/// A region's districts in one campaign: their progress, and the region's
/// Excel template (a row per district) to download, fill and upload back,
/// all districts at once or none.
#[component]
pub fn RegionPage() -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    let params = leptos_router::hooks::use_params_map();
    let ids = Memo::new(move |_| {
        let p = params.read();
        let num = |k: &str| p.get(k).and_then(|v| v.parse::<i32>().ok());
        num("id").zip(num("region"))
    });
    let round = Resource::new(
        move || ids.get(),
        |ids| async move {
            match ids {
                Some((c, r)) => api::region_round(c, r).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let report = Resource::new(
        move || (ids.get(), crate::workbook::import_query().get()),
        |(ids, report)| async move {
            match (ids, report) {
                (Some((c, r)), Some(id)) => api::region_import_report(c, r, id).await.map(Some),
                _ => Ok(None),
            }
        },
    );
    let query = use_query_map();
    let upload_error = move || query.read().get("upload_error");
    view! {
        <Suspense fallback=move || view! { <p>{tr.loading()}</p> }>
            {move || round.get().map(|r| match r {
                Err(e) => view! { <Denied signed_in=!e.needs_sign_in()/> }.into_any(),
                Ok(None) => view! { <p>{tr.not_found_title()}</p> }.into_any(),
                Ok(Some(rr)) => {
                    let (c, region) = (rr.campaign.id.0, rr.region.id.0);
                    let title = format!("{} · {}", rr.region.names.get(locale), rr.campaign.names.get(locale));
                    let editable = rr.districts.iter().any(|d| d.editable);
                    let questions = rr.questions;
                    view! {
                        <Title text=title.clone()/>
                        <nav class="breadcrumb"><A href="/campaigns">{tr.campaigns_title()}</A></nav>
                        <h1>{title}</h1>
                        <section class="card excel-panel region-excel" data-districts=rr.districts.len()>
                            <h2>{tr.region_excel_title()}</h2>
                            <p class="muted">{tr.region_excel_note()}</p>
                            {upload_error().map(|e| view! { <p class="alert error" role="alert" id="upload-error">{e}</p> })}
                            <crate::workbook::TemplateRoundTrip
                                download=format!("/files/campaigns/{c}/regions/{region}/template?lang={}", locale.tag())
                                upload=format!("/files/campaigns/{c}/regions/{region}/template")
                                editable report by_entity=true/>
                        </section>
                        <section class="card">
                            <h2>{tr.districts()}</h2>
                            <table class="data region-districts">
                                <thead><tr><th scope="col">{tr.entity()}</th><th scope="col">{tr.status()}</th><th scope="col" class="num">{tr.answered()}</th></tr></thead>
                                <tbody>
                                    {rr.districts.into_iter().map(|d| view! {
                                        <tr data-entity=d.entity.code.clone() data-status=d.status.as_str()>
                                            <td><A href=format!("/submissions/{}", d.participant.0)>{d.entity.names.get(locale).to_owned()}</A></td>
                                            <td><span class=format!("pill ss-{}", d.status.as_str())>{submission_status_name(tr, d.status)}</span></td>
                                            <td class="num">{format!("{} / {questions}", d.answered)}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </section>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}
