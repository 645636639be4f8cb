//! The lists of posts: the tabs Following, Popular and For you, a tag's page and a person's
//! posts, each a keyset page with an opaque cursor (`next`), so that pages neither repeat nor
//! skip while posts arrive.
//!
//! Cursors: `t<created_at>_<id>` for newest-first lists, `h<hot as hex bits>_<id>` for
//! hottest-first ones, and `<matching>.<popular>` (either may be `-`, finished) for For you.

use super::cards;
use crate::error::{AppError, Msg};
use crate::feed::{FeedMsg, FeedPage, PAGE, Tab, access, db, parse_tags};
use crate::ids::{PostId, UserId};
use crate::server::AppState;
use crate::server::auth::Actor;

fn bad_cursor() -> AppError {
    AppError::BadRequest(Msg::BadInput)
}

fn time_cursor(c: &str) -> Result<db::TimeCursor, AppError> {
    if c.is_empty() {
        return Ok(None);
    }
    let (a, b) = c
        .strip_prefix('t')
        .and_then(|c| c.split_once('_'))
        .ok_or_else(bad_cursor)?;
    Ok(Some((
        a.parse().map_err(|_| bad_cursor())?,
        b.parse().map_err(|_| bad_cursor())?,
    )))
}

fn time_str(created_at: i64, id: i64) -> String {
    format!("t{created_at}_{id}")
}

fn hot_cursor(c: &str) -> Result<db::HotCursor, AppError> {
    if c.is_empty() {
        return Ok(None);
    }
    let (a, b) = c
        .strip_prefix('h')
        .and_then(|c| c.split_once('_'))
        .ok_or_else(bad_cursor)?;
    let bits = u64::from_str_radix(a, 16).map_err(|_| bad_cursor())?;
    Ok(Some((
        f64::from_bits(bits),
        b.parse().map_err(|_| bad_cursor())?,
    )))
}

fn hot_str(h: f64, id: PostId) -> String {
    format!("h{:x}_{id}", h.to_bits())
}

/// A newest-first page from `ids` (fetched one beyond `PAGE` to tell whether more follow).
async fn newest_page(
    st: &AppState,
    viewer: Option<&Actor>,
    mut ids: Vec<PostId>,
) -> Result<FeedPage, AppError> {
    let more = ids.len() as i64 > PAGE;
    ids.truncate(PAGE as usize);
    let items = cards(st, &ids, viewer).await?;
    let next = if more {
        items.last().map(|p| time_str(p.created_at, p.id))
    } else {
        None
    };
    Ok(FeedPage { items, next })
}

/// One page of a feed tab; `cursor` is the previous page's `next`. Following needs a viewer
/// (`NotAuthenticated`); For you is Popular for visitors. Errors: `BadRequest` (bad cursor).
pub async fn list_feed(
    st: &AppState,
    viewer: Option<&Actor>,
    tab: Tab,
    cursor: &str,
) -> Result<FeedPage, AppError> {
    let (ids, next) = match (tab, viewer) {
        (Tab::Following, None) => return Err(AppError::NotAuthenticated),
        (Tab::Following, Some(v)) => {
            let ids = db::following_ids(&st.db, v.user, time_cursor(cursor)?, PAGE + 1).await?;
            return newest_page(st, viewer, ids).await;
        }
        (Tab::Popular, _) | (Tab::ForYou, None) => {
            let mut rows = db::popular_ids(&st.db, hot_cursor(cursor)?, None, PAGE + 1).await?;
            let more = rows.len() as i64 > PAGE;
            rows.truncate(PAGE as usize);
            let next = more
                .then(|| rows.last().map(|(id, h)| hot_str(*h, *id)))
                .flatten();
            (rows.into_iter().map(|r| r.0).collect(), next)
        }
        (Tab::ForYou, Some(v)) => for_you(st, v.user, cursor, PAGE).await?,
    };
    Ok(FeedPage {
        items: cards(st, &ids, viewer).await?,
        next,
    })
}

/// For you: posts matching the viewer's interests (tags and authors they engaged with), with
/// popular posts from outside them mixed in (one in five); never their own. Two keyset streams,
/// one cursor each, so pages neither repeat nor skip.
async fn for_you(
    st: &AppState,
    viewer: UserId,
    cursor: &str,
    limit: i64,
) -> Result<(Vec<PostId>, Option<String>), AppError> {
    let (mc, pc) = match cursor.split_once('.') {
        Some((m, p)) => (m, p),
        None if cursor.is_empty() => ("", ""),
        None => return Err(bad_cursor()),
    };
    let done = |c: &str| c == "-";
    let tags = db::engaged_tags(&st.db, viewer, 10).await?;
    let authors = db::engaged_authors(&st.db, viewer, 200).await?;
    let want_popular = (limit / 5).max(1);
    let mut matching = if done(mc) {
        Vec::new()
    } else {
        let after = hot_cursor(mc)?;
        let n = limit - want_popular + 1;
        db::for_you_ids(&st.db, viewer, &tags, &authors, true, after, n).await?
    };
    let mut popular = if done(pc) {
        Vec::new()
    } else {
        let after = hot_cursor(pc)?;
        db::for_you_ids(&st.db, viewer, &tags, &authors, false, after, limit + 1).await?
    };
    // Take matching posts first, popular ones to fill (at least one in five when there are any).
    let m_take = (matching.len() as i64).min(limit - want_popular.min(popular.len() as i64));
    let p_take = (limit - m_take).min(popular.len() as i64);
    let m_more = matching.len() as i64 > m_take;
    let p_more = popular.len() as i64 > p_take;
    matching.truncate(m_take as usize);
    popular.truncate(p_take as usize);
    let next_of = |more: bool, taken: &[(PostId, f64)], was: &str| {
        if more {
            taken
                .last()
                .map(|(id, h)| hot_str(*h, *id))
                .unwrap_or_else(|| was.to_string())
        } else {
            "-".to_string()
        }
    };
    let m_next = next_of(m_more, &matching, mc);
    let p_next = next_of(p_more, &popular, pc);
    // Interleave: four from interests, then one popular.
    let mut ids = Vec::new();
    let (mut mi, mut pi) = (matching.into_iter(), popular.into_iter());
    loop {
        let mut took = false;
        for _ in 0..4 {
            if let Some((id, _)) = mi.next() {
                ids.push(id);
                took = true;
            }
        }
        if let Some((id, _)) = pi.next() {
            ids.push(id);
            took = true;
        }
        if !took {
            break;
        }
    }
    let next = (m_next != "-" || p_next != "-").then(|| format!("{m_next}.{p_next}"));
    Ok((ids, next))
}

/// Published posts with a tag, newest first. Errors: `BadRequest` (bad tag or cursor).
pub async fn list_tag_posts(
    st: &AppState,
    viewer: Option<&Actor>,
    tag: &str,
    cursor: &str,
) -> Result<FeedPage, AppError> {
    let tag = parse_tags(tag)
        .map_err(AppError::BadRequest)?
        .into_iter()
        .next()
        .ok_or(AppError::bad_request(FeedMsg::TagInvalid))?;
    let ids = db::tag_ids(&st.db, &tag, time_cursor(cursor)?, PAGE + 1).await?;
    newest_page(st, viewer, ids).await
}

/// A person's posts, newest first; hidden ones only for themselves and moderators.
/// Errors: `NotFound` (no such handle), `BadRequest` (bad cursor).
pub async fn list_user_posts(
    st: &AppState,
    viewer: Option<&Actor>,
    handle: &str,
    cursor: &str,
) -> Result<FeedPage, AppError> {
    let Some(profile) = crate::profiles::db::select_by_handle(&st.db, handle).await? else {
        return Err(AppError::NotFound);
    };
    let hidden_too = access::may_see_hidden(viewer, profile.user_id);
    let after = time_cursor(cursor)?;
    let ids = db::author_ids(&st.db, profile.user_id, hidden_too, after, PAGE + 1).await?;
    newest_page(st, viewer, ids).await
}
