//! The use cases of the audit log: [`record`] (called by other features inside their action's
//! transaction), [`list`] and [`csv`] for admins.

use super::{Action, AuditFilter, AuditItem, AuditPage, db};
use crate::error::AppError;
use crate::ids::UserId;
use crate::roles::Role;
use crate::server::AppState;
use crate::server::auth::Actor;
use crate::server::db::Tx;
use crate::server::now_ms;

/// Entries per page.
pub const PAGE: i64 = 50;
/// Entries per CSV export at most (the newest matching ones).
pub const CSV_MAX: i64 = 50_000;

/// Who acted: a person in a request (with their address), or the command line.
pub struct By {
    pub user: Option<UserId>,
    pub label: String,
    pub ip: String,
}

impl By {
    pub fn actor(a: &Actor) -> Self {
        By {
            user: Some(a.user),
            label: format!("user #{}", a.user),
            ip: a.ip.clone(),
        }
    }

    /// The `tutorium` command line on the server.
    pub fn cli() -> Self {
        By {
            user: None,
            label: "command line".to_string(),
            ip: String::new(),
        }
    }
}

/// What was done to what.
pub struct Entry {
    pub action: Action,
    pub target_kind: &'static str,
    pub target_id: Option<i64>,
    pub target_label: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub reason: String,
}

impl Entry {
    /// An action on a person's account.
    pub fn user(action: Action, user: UserId) -> Self {
        Entry::on(action, "user", user.get(), String::new())
    }

    /// An action on the `kind` with this id (`course`, `post`, `certificate`).
    pub fn on(action: Action, kind: &'static str, id: i64, label: String) -> Self {
        Entry {
            action,
            target_kind: kind,
            target_id: Some(id),
            target_label: label,
            before: None,
            after: None,
            reason: String::new(),
        }
    }

    pub fn change(mut self, before: serde_json::Value, after: serde_json::Value) -> Self {
        self.before = Some(before);
        self.after = Some(after);
        self
    }

    pub fn reason(mut self, reason: &str) -> Self {
        self.reason = reason.to_string();
        self
    }
}

/// Appends an entry inside the action's transaction.
pub async fn record(tx: &mut Tx, by: &By, e: Entry) -> sqlx::Result<()> {
    db::insert(
        tx,
        db::NewRow {
            at: now_ms(),
            actor_id: by.user.map(UserId::get),
            actor_label: &by.label,
            ip: &by.ip,
            action: e.action.code(),
            target_kind: e.target_kind,
            target_id: e.target_id,
            target_label: &e.target_label,
            before: e.before.map(|v| v.to_string()),
            after: e.after.map(|v| v.to_string()),
            reason: &e.reason,
        },
    )
    .await
}

fn item(r: db::AuditRow) -> Option<AuditItem> {
    Some(AuditItem {
        id: r.id,
        at: r.at,
        actor_id: r.actor_id,
        actor_label: r.actor_label,
        ip: r.ip,
        action: Action::from_code(&r.action)?,
        target_kind: r.target_kind,
        target_id: r.target_id,
        target_label: r.target_label,
        before: r.before,
        after: r.after,
        reason: r.reason,
    })
}

/// A page of entries matching `f`, newest first. Admins. Errors: `Forbidden`, `MfaRequired`.
pub async fn list(st: &AppState, actor: &Actor, f: &AuditFilter) -> Result<AuditPage, AppError> {
    actor.require(Role::Admin)?;
    let mut rows = db::list(&st.db, f, PAGE + 1).await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.id)
    });
    Ok(AuditPage {
        items: rows.into_iter().filter_map(item).collect(),
        next: next.flatten(),
    })
}

/// A CSV cell: quoted, and a leading `=`, `+`, `-`, `@`, tab or CR prefixed with `'` so that a
/// spreadsheet never runs it as a formula (CSV injection).
fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The entries matching `f` (newest first, at most [`CSV_MAX`]) as CSV. Admins.
pub async fn csv(st: &AppState, actor: &Actor, f: &AuditFilter) -> Result<String, AppError> {
    actor.require(Role::Admin)?;
    let rows = db::list(&st.db, f, CSV_MAX).await?;
    let mut out = String::from(
        "id,time_utc,actor_id,actor,ip,action,target_kind,target_id,target,before,after,reason\r\n",
    );
    for r in rows {
        let time = chrono::DateTime::from_timestamp_millis(r.at)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
            .unwrap_or_default();
        let fields = [
            r.id.to_string(),
            time,
            r.actor_id.map(|i| i.to_string()).unwrap_or_default(),
            r.actor_label,
            r.ip,
            r.action,
            r.target_kind,
            r.target_id.map(|i| i.to_string()).unwrap_or_default(),
            r.target_label,
            r.before.unwrap_or_default(),
            r.after.unwrap_or_default(),
            r.reason,
        ];
        out.push_str(&fields.iter().map(|f| cell(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(cell("plain"), "\"plain\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "\"'-1\"");
    }
}
