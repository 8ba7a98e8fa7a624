//! What the rating profiles share (an officer's own rating on the home
//! page, an entity's and a region's profile in the registry): the trend
//! chart over rounds, drawn as SVG on the server, and how a score, a band
//! and "what to improve first" are written.

use crate::{
    components::band_title,
    i18n::{Tr, use_tr},
};
use leptos::prelude::*;

/// A score as the pages print it: one decimal in the reader's locale, "—"
/// when absent.
pub fn score_text(locale: domain::Locale) -> impl Fn(Option<f64>) -> String + Copy {
    move |v| {
        v.map(|v| locale.format_number(v, 1))
            .unwrap_or_else(|| "—".into())
    }
}

/// A band's name in `locale` from its code (the code itself if unknown).
pub fn band_namer(
    bands: &[(domain::BandDef, f64)],
    locale: domain::Locale,
) -> impl Fn(&str) -> String + Clone {
    let bands = bands.to_vec();
    move |code| {
        band_title(bands.iter().map(|(b, _)| b), code, locale).unwrap_or_else(|| code.to_owned())
    }
}

/// An entity's index over its rounds as a [`TrendChart`], each point's
/// tooltip made by `title`.
pub fn index_trend(
    p: &domain::EntityProfile,
    title: impl Fn(&domain::ProfilePoint) -> String,
    label: &str,
) -> AnyView {
    let series = vec![Series {
        class: "own",
        points: p.history.iter().map(|pt| pt.index).collect(),
        titles: p.history.iter().map(title).collect(),
    }];
    let periods: Vec<String> = p.history.iter().map(|pt| pt.period.clone()).collect();
    let comparable: Vec<bool> = p
        .history
        .iter()
        .map(|pt| pt.comparable_with_previous)
        .collect();
    view! {
        <TrendChart periods comparable bands=p.bands.clone() scale=p.scale_max series whiskers=Vec::new() label=label.to_owned()/>
    }
    .into_any()
}

/// "What to improve first" as list items: code, question, points gained.
pub fn improve_items(items: &[(String, domain::Names, f64)], tr: Tr) -> impl IntoView + use<> {
    let locale = tr.locale();
    items.iter().map(|(code, names, gain)| view! {
        <li><code>{code.clone()}</code>" "{names.get(locale).to_owned()}" — +"{locale.format_number(*gain, 1)}" "{tr.points_gain()}</li>
    }).collect_view()
}

/// One line of a [`TrendChart`]: a value per period (gaps allowed) and
/// each point's tooltip.
pub struct Series {
    /// CSS class of the line (`own`, `national`).
    pub class: &'static str,
    /// The values, one per period.
    pub points: Vec<Option<f64>>,
    /// Each point's tooltip.
    pub titles: Vec<String>,
}

/// A trend over rounds as server-rendered SVG (readable without
/// JavaScript, printable): band areas behind, one polyline per series
/// between comparable neighbours, a dashed break where the methodology
/// changed without a crosswalk (and a note saying so), optional min–max
/// whiskers.
#[component]
pub fn TrendChart(
    periods: Vec<String>,
    comparable: Vec<bool>,
    bands: Vec<(domain::BandDef, f64)>,
    scale: f64,
    series: Vec<Series>,
    whiskers: Vec<Option<(f64, f64)>>,
    label: String,
) -> impl IntoView {
    let tr = use_tr();
    let locale = tr.locale();
    // Geometry: 600 × 220, plot from x 44 to 584, y 12 to 188.
    let (x0, x1, y0, y1) = (44.0, 584.0, 12.0, 188.0);
    let n = periods.len().max(1) as f64;
    let x = move |k: usize| {
        if n <= 1.0 {
            (x0 + x1) / 2.0
        } else {
            x0 + (x1 - x0) * k as f64 / (n - 1.0)
        }
    };
    let y = move |v: f64| y1 - (y1 - y0) * (v / scale).clamp(0.0, 1.0);
    let areas = bands.iter().map(|(b, max)| view! {
        <rect class=format!("band-area band-{}", b.code) x=x0 width=x1 - x0 y=format!("{:.1}", y(*max)) height=format!("{:.1}", y(b.min) - y(*max))/>
    }).collect_view();
    let breaks: Vec<f64> = (1..periods.len())
        .filter(|&k| !comparable.get(k).copied().unwrap_or(true))
        .map(|k| x(k) - (x(k) - x(k - 1)) / 2.0)
        .collect();
    let any_break = !breaks.is_empty();
    let break_marks = breaks
        .into_iter()
        .map(|bx| view! { <line class="break" x1=bx x2=bx y1=y0 y2=y1/> })
        .collect_view();
    let whisker_marks = whiskers
        .iter()
        .enumerate()
        .filter_map(|(k, w)| {
            let (lo, hi) = (*w)?;
            Some(view! { <line class="whisker" x1=format!("{:.1}", x(k)) x2=format!("{:.1}", x(k)) y1=format!("{:.1}", y(lo)) y2=format!("{:.1}", y(hi))/> })
        })
        .collect_view();
    let drawn = series
        .into_iter()
        .map(|s| {
            // Polylines between comparable neighbours.
            let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
            for (k, v) in s.points.iter().enumerate() {
                if k > 0 && !comparable.get(k).copied().unwrap_or(true) {
                    segments.push(Vec::new());
                }
                if let Some(v) = v {
                    segments.last_mut().expect("one segment").push((x(k), y(*v)));
                }
            }
            let lines = segments
                .into_iter()
                .filter(|seg| seg.len() > 1)
                .map(|seg| {
                    let pts = seg
                        .iter()
                        .map(|(a, b)| format!("{a:.1},{b:.1}"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    view! { <polyline points=pts/> }
                })
                .collect_view();
            let dots = s
                .points
                .iter()
                .enumerate()
                .filter_map(|(k, v)| {
                    let v = (*v)?;
                    let title = s.titles.get(k).cloned().unwrap_or_default();
                    Some(view! { <circle cx=format!("{:.1}", x(k)) cy=format!("{:.1}", y(v)) r="4.5"><title>{title}</title></circle> })
                })
                .collect_view();
            view! { <g class=format!("series {}", s.class)>{lines}{dots}</g> }
        })
        .collect_view();
    let labels = periods
        .iter()
        .enumerate()
        .map(|(k, p)| {
            view! {
                <text x=format!("{:.1}", x(k)) y="206" text-anchor="middle">{p.clone()}</text>
            }
        })
        .collect_view();
    let ticks = [0.0, 0.5, 1.0].map(|f| view! {
        <text x="38" y=format!("{:.1}", y(f * scale) + 4.0) text-anchor="end">{locale.format_number(f * scale, if scale >= 10.0 { 0 } else { 2 })}</text>
    }).into_iter().collect_view();
    view! {
        <svg class="trend" viewBox="0 0 600 220" role="img" aria-label=label>
            {areas}
            <line class="axis" x1=x0 x2=x0 y1=y0 y2=y1/>
            <line class="axis" x1=x0 x2=x1 y1=y1 y2=y1/>
            {ticks}
            {break_marks}
            {whisker_marks}
            {drawn}
            {labels}
        </svg>
        {any_break.then(|| view! { <p class="muted">{tr.not_comparable_break()}</p> })}
    }
}
