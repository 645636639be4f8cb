//! The feed with its tabs, tag pages, a post's page and its edit page.

use super::api::{UpdatePost, get_post, list_feed, list_tag_posts, list_user_posts};
use super::components::{CommentThread, PostCardView, PostComposer, PostList};
use super::{FeedPage, PostCard, Tab};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::layout::use_user;
use crate::tr;
use crate::ui::{ErrorPanel, FormError, JsonLd, Load, Seo, excerpt, field_error};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn FeedPage() -> impl IntoView {
    let l = use_i18n();
    let query = use_query_map();
    let user = use_user();
    let tab = move || {
        query
            .with(|q| q.get("tab").and_then(|t| Tab::from_code(&t)))
            .unwrap_or(if user.get().is_some() {
                Tab::ForYou
            } else {
                Tab::Popular
            })
    };
    let cursor = move || query.with(|q| q.get("cursor").unwrap_or_default());
    let refresh = RwSignal::new(0u32);
    let page = Resource::new(
        move || (tab(), cursor(), refresh.get()),
        |(t, c, _)| list_feed(t.code().to_string(), c),
    );
    // The author sees the new post on its own page (For you never shows one's own posts).
    let on_posted = Callback::new(move |id: i64| {
        refresh.update(|n| *n += 1);
        let navigate = leptos_router::hooks::use_navigate();
        navigate(&format!("/posts/{id}"), Default::default());
    });
    let tabs = [
        (Tab::Following, "Following", "Подписки"),
        (Tab::Popular, "Popular", "Популярное"),
        (Tab::ForYou, "For you", "Для вас"),
    ];
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Feed", "Лента").to_string())
            description=Signal::derive(move || l.get().pick("Short lessons from tutors: follow, like and discuss.", "Короткие уроки от репетиторов: подписывайтесь, оценивайте и обсуждайте.").to_string())
            path="/feed" />
        <section class="page feed">
            <h1 class="visually-hidden">{tr!("Feed", "Лента")}</h1>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let _ = page.await;
                    user.get().filter(|u| u.has(crate::accounts::Role::Tutor)).map(|_| view! { <PostComposer on_posted /> })
                })}
            </Transition>
            <nav class="tabs" aria-label=tr!("Feed tabs", "Вкладки ленты")>
                {tabs.into_iter().map(|(t, en, ru)| view! {
                    <a class="tabs__tab" href=format!("/feed?tab={}", t.code()) aria-current=move || (tab() == t).then_some("page")>
                        {move || l.get().pick(en, ru)}
                    </a>
                }).collect_view()}
            </nav>
            <Load resource=page transition=true next="/feed?tab=following"
                login=tr!("Log in to see posts from the tutors you follow.", "Войдите, чтобы видеть публикации тех, на кого вы подписаны.")
                let:first>
                {
                    let t = tab();
                    let more = RwSignal::new(None::<Result<FeedPage, AppError>>);
                    let load = Callback::new(move |c: String| {
                        leptos::task::spawn_local(async move { more.set(Some(list_feed(t.code().to_string(), c).await)); });
                    });
                    let next_href = Callback::new(move |c: String| format!("/feed?tab={}&cursor={c}", t.code()));
                    view! { <PostList first load more next_href /> }
                }
            </Load>
        </section>
    }
}

#[component]
pub fn TagPage() -> impl IntoView {
    let l = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let tag = move || params.with(|p| p.get("tag").unwrap_or_default());
    let cursor = move || query.with(|q| q.get("cursor").unwrap_or_default());
    let page = Resource::new(move || (tag(), cursor()), |(t, c)| list_tag_posts(t, c));
    let title = Signal::derive(move || format!("#{}", tag()));
    view! {
        <Seo title=title description=Signal::derive(move || match l.get() {
                crate::i18n::Locale::En => format!("Posts tagged #{} on Tutorium.", tag()),
                crate::i18n::Locale::Ru => format!("Публикации с тегом #{} в Tutorium.", tag()),
            })
            path=format!("/tags/{}", params.with_untracked(|p| p.get("tag").unwrap_or_default())) />
        <section class="page feed">
            <h1>{move || format!("#{}", tag())}</h1>
            <Load resource=page transition=true let:first>
                {
                    let t = tag();
                    let more = RwSignal::new(None::<Result<FeedPage, AppError>>);
                    let t2 = t.clone();
                    let load = Callback::new(move |c: String| {
                        let t = t2.clone();
                        leptos::task::spawn_local(async move { more.set(Some(list_tag_posts(t, c).await)); });
                    });
                    let next_href = Callback::new(move |c: String| format!("/tags/{t}?cursor={c}"));
                    view! { <PostList first load more next_href /> }
                }
            </Load>
        </section>
    }
}

/// A person's posts (on their profile page).
#[component]
pub fn UserPosts(handle: String) -> impl IntoView {
    let h = handle.clone();
    let page = Resource::new(move || h.clone(), |h| list_user_posts(h, String::new()));
    // Not `Load`: a section of the profile page, which shows nothing at all — no loading line,
    // no error panel — unless there are posts.
    view! {
        <Transition fallback=|| ()>
            {move || {
                let handle = handle.clone();
                Suspend::new(async move {
                    match page.await {
                        Ok(first) if !first.items.is_empty() => {
                            let more = RwSignal::new(None::<Result<FeedPage, AppError>>);
                            let h2 = handle.clone();
                            let load = Callback::new(move |c: String| {
                                let h = h2.clone();
                                leptos::task::spawn_local(async move { more.set(Some(list_user_posts(h, c).await)); });
                            });
                            let next_href = Callback::new(move |_c: String| format!("/u/{handle}"));
                            view! {
                                <section id="posts" class="profile__posts" aria-labelledby="posts-h">
                                    <h2 id="posts-h">{tr!("Posts", "Публикации")}</h2>
                                    <PostList first load more next_href />
                                </section>
                            }.into_any()
                        }
                        _ => ().into_any(),
                    }
                })
            }}
        </Transition>
    }
}

fn post_json_ld(p: &PostCard, base: &str) -> serde_json::Value {
    let date = chrono::DateTime::from_timestamp_millis(p.created_at)
        .map(|d| d.to_rfc3339())
        .unwrap_or_default();
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "SocialMediaPosting",
        "headline": excerpt(&crate::markdown::plain_text(&p.body), 110),
        "articleBody": p.body,
        "datePublished": date,
        "url": format!("{base}/posts/{}", p.id),
        "author": { "@type": "Person", "name": p.author.display_name, "url": format!("{base}/u/{}", p.author.handle) },
        "keywords": p.tags.join(", "),
        "interactionStatistic": [
            { "@type": "InteractionCounter", "interactionType": "https://schema.org/LikeAction", "userInteractionCount": p.likes_count },
            { "@type": "InteractionCounter", "interactionType": "https://schema.org/CommentAction", "userInteractionCount": p.comments_count },
        ],
    });
    // Public videos only: search engines get no (signed) links to a video shown to its owner.
    if let Some(view) = p
        .video
        .as_ref()
        .and_then(|v| v.view.as_ref())
        .filter(|v| v.public)
    {
        let s = view.duration_ms / 1000;
        v["video"] = serde_json::json!({
            "@type": "VideoObject",
            "name": excerpt(&crate::markdown::plain_text(&p.body), 110),
            "description": excerpt(&crate::markdown::plain_text(&p.body), 300),
            "thumbnailUrl": view.poster_url.as_ref().map(|u| format!("{base}{u}")),
            "uploadDate": date,
            "duration": format!("PT{}H{}M{}S", s / 3600, (s % 3600) / 60, s % 60),
            "contentUrl": view.sources.last().map(|s| format!("{base}{}", s.url)),
            "embedUrl": format!("{base}/posts/{}", p.id),
        });
    }
    v
}

#[component]
pub fn PostPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or(0));
    let thread = move || {
        query.with(|q| {
            q.get("thread")
                .and_then(|t| t.parse::<i64>().ok())
                .unwrap_or(0)
        })
    };
    let post = Resource::new(id, get_post);
    // The page's metadata comes with the post: an error writes its own (`noindex`, no title).
    let error = move |e: AppError| {
        view! {
            <Seo title=Signal::derive(String::new) description=Signal::derive(String::new) path=format!("/posts/{}", params.with_untracked(|p| p.get("id").unwrap_or_default())) noindex=true />
            <ErrorPanel error=e />
        }
        .into_any()
    };
    view! {
        <Load resource=post error let:p>
            {
                let base = crate::ui::base_url();
                let json = post_json_ld(&p, &base);
                let text = crate::markdown::plain_text(&p.body);
                let title = format!("{}: {}", p.author.display_name, excerpt(&text, 60));
                let desc = excerpt(&text, 160);
                let video = p.video.as_ref().and_then(|v| v.view.clone());
                let og_video = video.as_ref().and_then(|v| v.sources.last().map(|s| format!("{base}{}", s.url)));
                let (w, h) = video.as_ref().map(|v| (v.width, v.height)).unwrap_or((0, 0));
                let image = video.as_ref().and_then(|v| v.poster_url.clone()).or(p.author.avatar_url.clone()).unwrap_or_default();
                let pid = p.id;
                let th = thread();
                view! {
                    <Seo title=Signal::derive(move || title.clone()) description=Signal::derive(move || desc.clone())
                        path=format!("/posts/{pid}") og_type=if video.is_some() { "video.other" } else { "article" } image=image noindex=p.hidden />
                    {og_video.map(|u| view! {
                        <leptos_meta::Meta property="og:video" content=u.clone() />
                        <leptos_meta::Meta property="og:video:type" content="video/mp4" />
                        <leptos_meta::Meta property="og:video:width" content=w.to_string() />
                        <leptos_meta::Meta property="og:video:height" content=h.to_string() />
                    })}
                    <JsonLd data=json />
                    <div class="page feed post-page">
                        <PostCardView post=p full=true />
                        <section id="comments" aria-labelledby="comments-h">
                            <h2 id="comments-h">{tr!("Comments", "Комментарии")}</h2>
                            {if th > 0 {
                                view! {
                                    <p><a href=format!("/posts/{pid}#comments")>{tr!("← All comments", "← Все комментарии")}</a></p>
                                    <CommentThread post_id=pid parent=th depth_base=0 />
                                }.into_any()
                            } else {
                                view! { <CommentThread post_id=pid /> }.into_any()
                            }}
                        </section>
                    </div>
                }
            }
        </Load>
    }
}

#[component]
pub fn PostEditPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok()).unwrap_or(0));
    let post = Resource::new(id, get_post);
    let action = ServerAction::<UpdatePost>::new();
    let value = action.value();
    Effect::new(move |_| {
        if let Some(Ok(p)) = value.get() {
            let navigate = leptos_router::hooks::use_navigate();
            navigate(&format!("/posts/{}", p.id), Default::default());
        }
    });
    let l = use_i18n();
    view! {
        <Seo title=Signal::derive(move || l.get().pick("Edit post", "Изменить публикацию").to_string()) description=Signal::derive(String::new)
            path="/posts/edit" noindex=true />
        <section class="page page--narrow">
            <h1>{tr!("Edit post", "Изменить публикацию")}</h1>
            <Load resource=post let:p>
                {if p.is_mine {
                    view! {
                        <ActionForm action=action attr:class="form" attr:novalidate=true>
                            <FormError msg=crate::ui::form_error(value, &["body", "tags"]) />
                            <input type="hidden" name="id" value=p.id />
                            <div class="field">
                                <label for="edit-body">{tr!("Text", "Текст")}</label>
                                <textarea id="edit-body" name="body" rows="8" maxlength="5000">{p.body.clone()}</textarea>
                                <crate::ui::ErrorText msg=field_error(value, "body") />
                            </div>
                            <div class="field">
                                <label for="edit-tags">{tr!("Tags (up to 5)", "Теги (до 5)")}</label>
                                <input id="edit-tags" name="tags" value=p.tags.join(", ") />
                                <crate::ui::ErrorText msg=field_error(value, "tags") />
                            </div>
                            <button type="submit" class="button">{tr!("Save", "Сохранить")}</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! { <ErrorPanel error=AppError::NotFound /> }.into_any()
                }}
            </Load>
        </section>
    }
}
