//! A post's card, in a list or on its page.

use super::LikeButton;
use crate::error::AppError;
use crate::feed::api::{DeletePost, SetPostHidden, like_post};
use crate::feed::{LikeState, PostCard};
use crate::i18n::{Locale, plural_ru, use_i18n};
use crate::layout::use_user;
use crate::tr;
use crate::ui::{Avatar, format_datetime};
use crate::video::components::VideoPlayer;
use leptos::prelude::*;

/// "3 comments" / "3 комментария".
fn comments_text(n: i64, l: Locale) -> String {
    match l {
        Locale::En => format!("{n} {}", if n == 1 { "comment" } else { "comments" }),
        Locale::Ru => format!(
            "{n} {}",
            plural_ru(n, "комментарий", "комментария", "комментариев")
        ),
    }
}

/// A post in a list or on its page.
#[component]
pub fn PostCardView(
    post: PostCard,
    #[prop(optional)] full: bool,
    #[prop(optional)] on_removed: Option<Callback<i64>>,
) -> impl IntoView {
    let l = use_i18n();
    let user = use_user();
    let id = post.id;
    let like_state = RwSignal::new(None::<(u64, Result<LikeState, AppError>)>);
    let like_seq = RwSignal::new(0u64);
    let send_like = Callback::new(move |like: bool| {
        like_seq.update(|s| *s += 1);
        let s = like_seq.get_untracked();
        leptos::task::spawn_local(async move {
            let r = like_post(id, like).await;
            like_state.set(Some((s, r)));
        });
    });
    let delete = ServerAction::<DeletePost>::new();
    let hide = ServerAction::<SetPostHidden>::new();
    let hidden = RwSignal::new(post.hidden);
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(())))
            && let Some(cb) = on_removed
        {
            cb.run(id);
        }
        if let Some(Ok(())) = hide.value().get() {
            hidden.update(|h| *h = !*h);
        }
    });
    let is_moderator = move || {
        user.get()
            .is_some_and(|u| u.has(crate::accounts::Role::Moderator))
    };
    let href = format!("/posts/{id}");
    let author_href = format!("/u/{}", post.author.handle);
    let at = post.created_at;
    let edited = post.edited_at.is_some();
    let video = post.video.clone();
    let is_mine = post.is_mine;
    view! {
        <article class="post" class:post--hidden=move || hidden.get() aria-labelledby=format!("post-{id}-author")>
            <header class="post__header">
                <a href=author_href.clone() tabindex="-1" aria-hidden="true">
                    <Avatar url=post.author.avatar_url.clone() name=post.author.display_name.clone() size=40 decorative=true />
                </a>
                <div>
                    <a class="post__author" id=format!("post-{id}-author") href=author_href>{post.author.display_name.clone()}</a>
                    <a class="post__time muted" href=href.clone()>
                        {move || format_datetime(at, l.get())}
                        {edited.then(|| view! { " · " {tr!("edited", "изменено")} })}
                    </a>
                </div>
                <Show when=move || hidden.get()>
                    <span class="badge">{tr!("Hidden by a moderator", "Скрыто модератором")}</span>
                </Show>
            </header>
            <div class="post__body" inner_html=post.body_html.clone()></div>
            {video.map(|v| match v.view {
                Some(view) => view! { <VideoPlayer view=view signed_in=user.get_untracked().is_some() /> }.into_any(),
                None if v.unavailable => view! { <p class="post__processing notice">{tr!("This video is not available.", "Это видео недоступно.")}</p> }.into_any(),
                None => view! { <p class="post__processing notice">{tr!("The video is processing…", "Видео обрабатывается…")}</p> }.into_any(),
            })}
            {(!post.tags.is_empty()).then(|| view! {
                <p class="chips post__tags">
                    {post.tags.iter().map(|t| view! { <a class="chip" href=format!("/tags/{t}")>{format!("#{t}")}</a> }).collect_view()}
                </p>
            })}
            <footer class="post__footer">
                <LikeButton liked=post.liked count=post.likes_count send=send_like state=like_state />
                {if full {
                    view! { <span class="muted">{move || comments_text(post.comments_count, l.get())}</span> }.into_any()
                } else {
                    view! { <a href=format!("{href}#comments")>{move || comments_text(post.comments_count, l.get())}</a> }.into_any()
                }}
                <span class="post__actions">
                    {is_mine.then(|| view! {
                        <a class="button button--ghost button--small" href=format!("/posts/{id}/edit")>{tr!("Edit", "Изменить")}</a>
                    })}
                    <Show when=move || is_mine || is_moderator()>
                        <button type="button" class="button button--ghost button--danger button--small"
                            on:click=move |_| { delete.dispatch(DeletePost { id }); }>{tr!("Delete", "Удалить")}</button>
                    </Show>
                    <Show when=is_moderator>
                        <button type="button" class="button button--ghost button--small"
                            on:click=move |_| { hide.dispatch(SetPostHidden { id, hidden: !hidden.get_untracked() }); }>
                            {move || if hidden.get() { l.get().pick("Show", "Показать") } else { l.get().pick("Hide", "Скрыть") }}
                        </button>
                    </Show>
                </span>
            </footer>
        </article>
    }
}
