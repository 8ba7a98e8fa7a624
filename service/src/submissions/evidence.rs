//! Evidence attached to an answer: links, legal acts and files.

use domain::Noun;
use domain::{AuditAction, EvidenceItem, EvidenceKind, ParseError, ParticipantId};
use domain::{Msg, Need};
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::evidence;
use methodology::value::is_url;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, DatabaseConnection, EntityTrait, Set, TransactionTrait,
};

use super::access::*;
use super::answers::no_indicator;
use crate::{Inconsistent, Principal, ServiceError, ServiceResult};

pub(super) fn evidence_item(
    e: &evidence::Model,
    links: &HashMap<String, domain::LinkCheck>,
) -> EvidenceItem {
    let label = match e.kind {
        EvidenceKind::LegalAct => format!(
            "{} № {} ({})",
            e.act_type.clone().unwrap_or_default(),
            e.act_number.clone().unwrap_or_default(),
            e.act_date.map(|d| d.to_string()).unwrap_or_default()
        ),
        EvidenceKind::File => e.file_name.clone().unwrap_or_default(),
        EvidenceKind::Url => e.url.clone().unwrap_or_default(),
    };
    EvidenceItem {
        id: e.id,
        kind: e.kind.as_str().to_owned(),
        url: if e.kind == EvidenceKind::File {
            Some(format!("/files/evidence/{}", e.id))
        } else {
            e.url.clone()
        },
        label,
        sha256: e.sha256.clone(),
        link: e
            .url
            .as_ref()
            .filter(|_| e.kind != EvidenceKind::File)
            .and_then(|u| links.get(u))
            .cloned(),
    }
}

/// Evidence an officer attaches (files go through the upload route).
#[derive(Debug, Clone)]
pub enum EvidenceInput {
    /// A link.
    Url(String),
    /// A legal act.
    LegalAct {
        /// Decree, resolution, order…
        act_type: String,
        /// Number as printed.
        number: String,
        /// Date, `YYYY-MM-DD`.
        date: String,
        /// Link to its text.
        link: String,
    },
}

/// The submission evidence is attached to: readable and editable by `who`
/// now, and `indicator` one of its questions.
pub(super) async fn evidence_target(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    indicator: &str,
    now: DateTime<Utc>,
) -> ServiceResult<Loaded> {
    let l = load(db, id).await?;
    l.readable_by(who)?;
    l.require_editable(who, now.date_naive())?;
    if l.m
        .find(indicator)
        .and_then(|i| l.m.nodes[i].indicator())
        .is_none()
    {
        return Err(no_indicator(indicator));
    }
    Ok(l)
}

/// An evidence row of `kind` for `indicator`, by `who` now, with no
/// content yet (not public until the caller says so).
pub(super) fn blank_evidence(
    l: &Loaded,
    created_by: Option<i32>,
    indicator: &str,
    kind: EvidenceKind,
    now: DateTime<Utc>,
) -> evidence::ActiveModel {
    evidence::ActiveModel {
        id: NotSet,
        participant_id: Set(l.participant.id),
        indicator_code: Set(indicator.to_owned()),
        kind: Set(kind),
        url: Set(None),
        file_name: Set(None),
        content_type: Set(None),
        size_bytes: Set(None),
        sha256: Set(None),
        storage_key: Set(None),
        act_type: Set(None),
        act_number: Set(None),
        act_date: Set(None),
        public: Set(false),
        created_by: Set(created_by),
        created_at: Set(now),
    }
}

/// A link attached as evidence (public once the rating is), by
/// `created_by` (a feed when `None`).
pub(crate) fn url_evidence(
    l: &Loaded,
    created_by: Option<i32>,
    indicator: &str,
    url: &str,
    now: DateTime<Utc>,
) -> evidence::ActiveModel {
    let mut am = blank_evidence(l, created_by, indicator, EvidenceKind::Url, now);
    am.url = Set(Some(url.to_owned()));
    am.public = Set(true);
    am
}

/// Writes an evidence row with its entry on the submission's history.
pub(super) async fn attach(
    db: &DatabaseConnection,
    l: &Loaded,
    who: &Principal,
    am: evidence::ActiveModel,
) -> ServiceResult<EvidenceItem> {
    let tx = db.begin().await?;
    let row = am.insert(&tx).await?;
    l.record(
        &tx,
        who,
        AuditAction::EvidenceAdd,
        None::<&()>,
        Some(&row),
        None,
    )
    .await?;
    let url: Vec<&str> = row.url.as_deref().into_iter().collect();
    crate::links::track(&tx, url.iter().copied(), row.created_at).await?;
    let links = crate::links::known(&tx, &url).await?;
    tx.commit().await?;
    Ok(evidence_item(&row, &links))
}

/// Attaches evidence to an answer.
pub async fn add_evidence(
    db: &DatabaseConnection,
    who: &Principal,
    id: ParticipantId,
    indicator: &str,
    input: &EvidenceInput,
    now: DateTime<Utc>,
) -> ServiceResult<EvidenceItem> {
    let l = evidence_target(db, who, id, indicator, now).await?;
    let by = Some(who.user.id.0);
    let am = match input {
        EvidenceInput::Url(u) => {
            let u = u.trim();
            if !is_url(u) {
                return Err(ParseError::new(
                    "url",
                    Msg::NotAUrl {
                        text: u.to_string(),
                    },
                )
                .into());
            }
            url_evidence(&l, by, indicator, u, now)
        }
        EvidenceInput::LegalAct {
            act_type,
            number,
            date,
            link,
        } => {
            if act_type.trim().is_empty() {
                return Err(ParseError::new(
                    "act_type",
                    Msg::Required {
                        need: Need::ActType,
                    },
                )
                .into());
            }
            if number.trim().is_empty() {
                return Err(ParseError::new(
                    "act_number",
                    Msg::Required {
                        need: Need::ActNumber,
                    },
                )
                .into());
            }
            let d = crate::registry::parse_date("act_date", date)?;
            if !is_url(link.trim()) {
                return Err(ParseError::new(
                    "act_link",
                    Msg::NotAUrl {
                        text: link.to_string(),
                    },
                )
                .into());
            }
            let mut am = blank_evidence(&l, by, indicator, EvidenceKind::LegalAct, now);
            am.act_type = Set(Some(act_type.trim().into()));
            am.act_number = Set(Some(number.trim().into()));
            am.act_date = Set(Some(d));
            am.url = Set(Some(link.trim().into()));
            am.public = Set(true);
            am
        }
    };
    attach(db, &l, who, am).await
}

/// An uploaded evidence file.
pub struct Upload<'a> {
    /// The name it had on the officer's computer.
    pub name: &'a str,
    /// Its bytes.
    pub bytes: &'a [u8],
}

/// Attaches a file to an answer: checked (size, sniffed type), stored in
/// `store` under its SHA-256, recorded with its checksum.
pub async fn add_file(
    db: &DatabaseConnection,
    store: &dyn crate::files::FileStore,
    who: &Principal,
    id: ParticipantId,
    indicator: &str,
    upload: &Upload<'_>,
    now: DateTime<Utc>,
) -> ServiceResult<EvidenceItem> {
    let l = evidence_target(db, who, id, indicator, now).await?;
    let name = crate::files::display_name(upload.name);
    let sniffed = crate::files::check(&name, upload.bytes)?;
    let hash = crate::ratings::sha256_hex(upload.bytes);
    let key = crate::files::key_of(&hash);
    store.put(&key, upload.bytes).await?;
    let mut am = blank_evidence(&l, Some(who.user.id.0), indicator, EvidenceKind::File, now);
    am.file_name = Set(Some(name));
    am.content_type = Set(Some(sniffed.content_type.into()));
    am.size_bytes = Set(Some(upload.bytes.len() as i64));
    am.sha256 = Set(Some(hash));
    am.storage_key = Set(Some(key));
    attach(db, &l, who, am).await
}

/// An evidence file for whoever may read its submission: name, type, bytes.
pub async fn evidence_file(
    db: &DatabaseConnection,
    store: &dyn crate::files::FileStore,
    who: &Principal,
    evidence_id: i32,
) -> ServiceResult<(String, String, Vec<u8>)> {
    let row = evidence::Entity::find_by_id(evidence_id)
        .one(db)
        .await?
        .filter(|e| e.kind == EvidenceKind::File)
        .ok_or_else(|| ServiceError::not_found(Noun::EvidenceFile, evidence_id))?;
    load(db, ParticipantId(row.participant_id))
        .await?
        .readable_by(who)?;
    let key = row.storage_key.clone().unwrap_or_default();
    let bytes = store.get(&key).await?;
    // The stored checksum is the promise: a changed file is not served.
    if row.sha256.as_deref() != Some(crate::ratings::sha256_hex(&bytes).as_str()) {
        return Err(ServiceError::Inconsistent(Inconsistent::Tampered {
            what: "evidence file",
            id: evidence_id.to_string(),
        }));
    }
    Ok((
        row.file_name.unwrap_or_else(|| "evidence".into()),
        row.content_type
            .unwrap_or_else(|| "application/octet-stream".into()),
        bytes,
    ))
}

/// Removes a piece of evidence while the submission is editable.
pub async fn remove_evidence(
    db: &DatabaseConnection,
    who: &Principal,
    evidence_id: i32,
    now: DateTime<Utc>,
) -> ServiceResult<()> {
    let row = evidence::Entity::find_by_id(evidence_id)
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::not_found(Noun::Evidence, evidence_id))?;
    let l = load(db, ParticipantId(row.participant_id)).await?;
    l.readable_by(who)?;
    l.require_editable(who, now.date_naive())?;
    let tx = db.begin().await?;
    evidence::Entity::delete_by_id(row.id).exec(&tx).await?;
    l.record(
        &tx,
        who,
        AuditAction::EvidenceRemove,
        Some(&row),
        None::<&()>,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
