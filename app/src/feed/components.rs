//! Post cards, like buttons, the post composer, the infinite list and comment threads.

use super::api::{
    AddComment, CreatePost, DeleteComment, DeletePost, EditComment, SetPostHidden, like_comment,
    like_post, list_comments,
};
use super::{Comment, FeedPage, PostCard};
use crate::error::{AppError, Msg};
use crate::i18n::{Locale, plural_ru, use_i18n};
use crate::layout::use_user;
use crate::tr;
use crate::ui::{Avatar, FormError, format_datetime};
use crate::video::components::VideoPlayer;
use leptos::prelude::*;

/// "3 likes" / "3 лайка".
fn likes_text(n: i64, l: Locale) -> String {
    match l {
        Locale::En => format!("{n} {}", if n == 1 { "like" } else { "likes" }),
        Locale::Ru => format!("{n} {}", plural_ru(n, "лайк", "лайка", "лайков")),
    }
}

fn comments_text(n: i64, l: Locale) -> String {
    match l {
        Locale::En => format!("{n} {}", if n == 1 { "comment" } else { "comments" }),
        Locale::Ru => format!(
            "{n} {}",
            plural_ru(n, "комментарий", "комментария", "комментариев")
        ),
    }
}

/// A like toggle: the count moves at once and settles on the server's exact number. Clicks while
/// one is on its way are sent too; only the answer to the last click counts.
#[component]
pub fn LikeButton(
    liked: bool,
    count: i64,
    /// Sends `like` for the post or comment, returns the exact state.
    send: Callback<bool, ()>,
    state: RwSignal<Option<(u64, Result<super::LikeState, AppError>)>>,
    #[prop(optional)] small: bool,
) -> impl IntoView {
    let l = use_i18n();
    let on = RwSignal::new(liked);
    let n = RwSignal::new(count);
    // The last state the server confirmed: an error puts the button back there.
    let confirmed = RwSignal::new((liked, count));
    let seq = RwSignal::new(0u64);
    let error = RwSignal::new(None::<Msg>);
    Effect::new(move |_| {
        if let Some((s, r)) = state.get()
            && s == seq.get_untracked()
        {
            match r {
                Ok(st) => {
                    on.set(st.liked);
                    n.set(st.count);
                    confirmed.set((st.liked, st.count));
                    error.set(None);
                }
                Err(e) => {
                    let (l, c) = confirmed.get_untracked();
                    on.set(l);
                    n.set(c);
                    error.set(Some(e.msg()));
                }
            }
        }
    });
    let click = move |_| {
        let next = !on.get_untracked();
        on.set(next);
        n.update(|c| *c = (*c + if next { 1 } else { -1 }).max(0));
        seq.update(|s| *s += 1);
        send.run(next);
    };
    view! {
        <span class="like">
            <button type="button" class="like__button" class:like__button--small=small
                aria-pressed=move || on.get().to_string() on:click=click
                aria-label=move || if on.get() { l.get().pick("Unlike", "Убрать лайк") } else { l.get().pick("Like", "Нравится") }>
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                    <path d="M12 21s-7.5-4.6-9.5-9.2C1 8.3 3.3 4.5 7 4.5c2 0 3.4 1.1 5 3 1.6-1.9 3-3 5-3 3.7 0 6 3.8 4.5 7.3C19.5 16.4 12 21 12 21z"
                        fill=move || if on.get() { "currentColor" } else { "none" } stroke="currentColor" stroke-width="1.8"/>
                </svg>
                <span data-testid="like-count">{move || likes_text(n.get(), l.get())}</span>
            </button>
            {move || error.get().map(|m| view! { <span class="field__error" role="alert">{m.text(l.get())}</span> })}
        </span>
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
    let like_state = RwSignal::new(None::<(u64, Result<super::LikeState, AppError>)>);
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
                    <Avatar url=post.author.avatar_url.clone() name=post.author.display_name.clone() size=40 />
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

/// A list of posts with infinite scroll: the first page comes rendered from the server; the next
/// ones load when the end comes into view (or with the button). Posts already shown are skipped,
/// so nothing repeats even when new posts arrive meanwhile.
#[component]
pub fn PostList(
    first: FeedPage,
    load: Callback<String, ()>,
    more: RwSignal<Option<Result<FeedPage, AppError>>>,
    next_href: Callback<String, String>,
) -> impl IntoView {
    let l = use_i18n();
    let items = RwSignal::new(first.items.clone());
    let next = RwSignal::new(first.next.clone());
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<Msg>);
    Effect::new(move |_| {
        if let Some(r) = more.get() {
            loading.set(false);
            match r {
                Ok(page) => {
                    items.update(|list| {
                        for p in page.items {
                            if !list.iter().any(|x| x.id == p.id) {
                                list.push(p);
                            }
                        }
                    });
                    next.set(page.next);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.msg())),
            }
        }
    });
    let load_more = move || {
        if loading.get_untracked() {
            return;
        }
        if let Some(c) = next.get_untracked() {
            loading.set(true);
            load.run(c);
        }
    };
    let sentinel = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |prev: Option<()>| {
        #[cfg(feature = "hydrate")]
        if prev.is_none()
            && let Some(el) = sentinel.get()
        {
            use wasm_bindgen::JsCast;
            use wasm_bindgen::closure::Closure;
            let cb = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                let visible = entries.iter().any(|e| {
                    js_sys::Reflect::get(&e, &"isIntersecting".into())
                        .ok()
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false)
                });
                if visible {
                    load_more();
                }
            });
            let ctor = js_sys::Reflect::get(&js_sys::global(), &"IntersectionObserver".into()).ok();
            if let Some(ctor) = ctor.and_then(|c| c.dyn_into::<js_sys::Function>().ok()) {
                let opts = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&opts, &"rootMargin".into(), &"400px".into());
                if let Ok(obs) =
                    js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(cb.as_ref(), &opts))
                    && let Some(observe) = js_sys::Reflect::get(&obs, &"observe".into())
                        .ok()
                        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
                {
                    let _ = observe.call1(&obs, &el);
                }
            }
            cb.forget();
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (prev, &sentinel);
    });
    let remove = Callback::new(move |id: i64| items.update(|list| list.retain(|p| p.id != id)));
    view! {
        <div class="post-list">
            <For each=move || items.get() key=|p| p.id let:post>
                <PostCardView post on_removed=remove />
            </For>
            <Show when=move || items.with(|i| i.is_empty())>
                <p class="muted empty-state">{tr!("No posts here yet.", "Здесь пока нет публикаций.")}</p>
            </Show>
            {move || error.get().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
            <div class="post-list__more" node_ref=sentinel>
                {move || next.get().map(|c| view! {
                    <a class="button button--ghost" href=next_href.run(c.clone()) rel="next"
                        on:click=move |ev| { ev.prevent_default(); load_more(); }>
                        {move || if loading.get() { l.get().pick("Loading…", "Загрузка…") } else { l.get().pick("More posts", "Ещё публикации") }}
                    </a>
                })}
            </div>
        </div>
    }
}

/// The composer of a new post (tutors): text, tags, and one of their videos.
#[component]
pub fn PostComposer(on_posted: Callback<i64>) -> impl IntoView {
    let l = use_i18n();
    let action = ServerAction::<CreatePost>::new();
    let value = action.value();
    let videos = Resource::new(|| (), |_| crate::video::api::list_my_videos(String::new()));
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(id)) = value.get() {
            if let Some(f) = form_ref.get() {
                f.reset();
            }
            on_posted.run(id);
        }
    });
    view! {
        <section class="card composer">
            <h2 class="visually-hidden">{tr!("New post", "Новая публикация")}</h2>
            <ActionForm action=action node_ref=form_ref attr:class="form" attr:novalidate=true>
                <FormError msg=crate::ui::form_error(value, &["body", "tags", "video"]) />
                <div class="field">
                    <label for="post-body">{tr!("What are you teaching today?", "Чему вы учите сегодня?")}</label>
                    <textarea id="post-body" name="body" rows="4" maxlength="5000"
                        aria-invalid=move || crate::ui::field_error(value, "body").get().is_some().then_some("true")></textarea>
                    <crate::ui::ErrorText msg=crate::ui::field_error(value, "body") />
                    <p class="field__hint">{tr!("Markdown: **bold**, _italic_, `code`, lists and links.", "Markdown: **жирный**, _курсив_, `код`, списки и ссылки.")}</p>
                </div>
                <div class="form__row">
                    <div class="field">
                        <label for="post-tags">{tr!("Tags (up to 5)", "Теги (до 5)")}</label>
                        <input id="post-tags" name="tags" placeholder=move || l.get().pick("math, exam-prep", "математика, егэ") />
                        <crate::ui::ErrorText msg=crate::ui::field_error(value, "tags") />
                    </div>
                    <div class="field">
                        <label for="post-video">{tr!("Video", "Видео")}</label>
                        <select id="post-video" name="video">
                            <option value="">{tr!("No video", "Без видео")}</option>
                            <Suspense fallback=|| ()>
                                {move || Suspend::new(async move {
                                    videos.await.unwrap_or_default().into_iter()
                                        .filter(|v| matches!(v.status, crate::video::Status::Ready | crate::video::Status::Processing))
                                        .map(|v| view! { <option value=v.public_id.clone()>{v.title.clone()}</option> })
                                        .collect_view()
                                })}
                            </Suspense>
                        </select>
                        <crate::ui::ErrorText msg=crate::ui::field_error(value, "video") />
                    </div>
                </div>
                <button type="submit" class="button" disabled=move || action.pending().get()>{tr!("Publish", "Опубликовать")}</button>
            </ActionForm>
        </section>
    }
}

/// A thread of comments: top-level ones (or the replies to `parent`), paginated, with replies
/// nested up to a few levels and "continue thread" beyond.
#[component]
pub fn CommentThread(
    post_id: i64,
    #[prop(optional)] parent: i64,
    #[prop(optional)] depth_base: i64,
) -> impl IntoView {
    let l = use_i18n();
    let user = use_user();
    let newest = RwSignal::new(false);
    let items = RwSignal::new(Vec::<Comment>::new());
    let next = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let first = Resource::new(
        move || newest.get(),
        move |n| list_comments(post_id, parent, String::new(), n),
    );
    let load_more = move || {
        if let Some(c) = next.get_untracked() {
            let n = newest.get_untracked();
            leptos::task::spawn_local(async move {
                if let Ok(page) = list_comments(post_id, parent, c, n).await {
                    items.update(|list| {
                        for c in page.items {
                            if !list.iter().any(|x| x.id == c.id) {
                                list.push(c);
                            }
                        }
                    });
                    next.set(page.next);
                }
            });
        }
    };
    let add = ServerAction::<AddComment>::new();
    let add_value = add.value();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(c)) = add_value.get() {
            if c.parent_id.unwrap_or(0) == parent {
                items.update(|list| {
                    if !list.iter().any(|x| x.id == c.id) {
                        if newest.get_untracked() {
                            list.insert(0, c);
                        } else {
                            list.push(c);
                        }
                    }
                });
            }
            if let Some(f) = form_ref.get() {
                f.reset();
            }
        }
    });
    view! {
        <section class="comments" class:comments--nested=parent != 0>
            {(parent == 0).then(|| view! {
                <div class="comments__bar">
                    <label class="comments__sort">
                        <span>{tr!("Sort", "Порядок")}</span>
                        <select aria-label=move || l.get().pick("Sort comments", "Порядок комментариев")
                            on:change=move |ev| newest.set(event_target_value(&ev) == "newest")>
                            <option value="oldest">{tr!("Oldest first", "Сначала старые")}</option>
                            <option value="newest">{tr!("Newest first", "Сначала новые")}</option>
                        </select>
                    </label>
                </div>
            })}
            <Transition fallback=|| view! { <p class="loading">"…"</p> }>
                {move || Suspend::new(async move {
                    let page = first.await;
                    match page {
                        Ok(p) => {
                            items.set(p.items);
                            next.set(p.next);
                            loaded.set(true);
                            view! {
                                <ul class="comment-list">
                                    <For each=move || items.get() key=|c| (c.id, c.edited_at, c.deleted) let:c>
                                        <CommentItem comment=c depth_base items />
                                    </For>
                                </ul>
                                {move || next.get().map(|_| view! {
                                    <button type="button" class="button button--ghost button--small" on:click=move |_| load_more()>
                                        {tr!("More comments", "Ещё комментарии")}
                                    </button>
                                })}
                            }.into_any()
                        }
                        Err(e) => view! { <p class="field__error" role="alert">{move || e.msg().text(l.get())}</p> }.into_any(),
                    }
                })}
            </Transition>
            {move || match user.get() {
                Some(_) if parent == 0 => view! {
                    <ActionForm action=add node_ref=form_ref attr:class="form comment-form" attr:novalidate=true>
                        <input type="hidden" name="post" value=post_id />
                        <input type="hidden" name="parent" value="0" />
                        <label for="comment-new">{tr!("Add a comment", "Ваш комментарий")}</label>
                        <textarea id="comment-new" name="body" rows="3" maxlength="2000"></textarea>
                        <FormError msg=crate::ui::form_error(add_value, &[]) />
                        <button type="submit" class="button" disabled=move || add.pending().get()>{tr!("Comment", "Отправить")}</button>
                    </ActionForm>
                }.into_any(),
                None if parent == 0 => view! {
                    <p class="muted"><a href=format!("/login?next=/posts/{post_id}")>{tr!("Log in", "Войдите")}</a>{tr!(" to comment.", ", чтобы комментировать.")}</p>
                }.into_any(),
                _ => ().into_any(),
            }}
        </section>
    }
}

/// One comment with its actions and (on demand) its replies.
#[component]
fn CommentItem(comment: Comment, depth_base: i64, items: RwSignal<Vec<Comment>>) -> impl IntoView {
    let l = use_i18n();
    let user = use_user();
    let id = comment.id;
    let post_id = comment.post_id;
    let depth = comment.depth - depth_base;
    let show_replies = RwSignal::new(false);
    let replying = RwSignal::new(false);
    let editing = RwSignal::new(false);
    let replies = RwSignal::new(comment.replies_count);
    let like_state = RwSignal::new(None::<(u64, Result<super::LikeState, AppError>)>);
    let like_seq = RwSignal::new(0u64);
    let send_like = Callback::new(move |like: bool| {
        like_seq.update(|s| *s += 1);
        let s = like_seq.get_untracked();
        leptos::task::spawn_local(async move {
            let r = like_comment(id, like).await;
            like_state.set(Some((s, r)));
        });
    });
    let reply = ServerAction::<AddComment>::new();
    let reply_value = reply.value();
    Effect::new(move |_| {
        if let Some(Ok(_)) = reply_value.get() {
            replying.set(false);
            replies.update(|n| *n += 1);
            show_replies.set(true);
        }
    });
    let edit = ServerAction::<EditComment>::new();
    Effect::new(move |_| {
        if let Some(Ok(c)) = edit.value().get() {
            editing.set(false);
            items.update(|list| {
                if let Some(x) = list.iter_mut().find(|x| x.id == c.id) {
                    *x = c;
                }
            });
        }
    });
    let delete = ServerAction::<DeleteComment>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            items.update(|list| {
                if let Some(x) = list.iter_mut().find(|x| x.id == id) {
                    if x.replies_count > 0 {
                        x.deleted = true;
                        x.author = None;
                        x.body_html = String::new();
                    } else {
                        list.retain(|x| x.id != id);
                    }
                }
            });
        }
    });
    let at = comment.created_at;
    let deep = depth >= super::SHOWN_DEPTH;
    let body = comment.body.clone();
    view! {
        <li class="comment" id=format!("comment-{id}") style=format!("--depth:{}", depth.min(super::SHOWN_DEPTH))>
            {match comment.author.clone() {
                Some(a) => view! {
                    <div class="comment__head">
                        <Avatar url=a.avatar_url.clone() name=a.display_name.clone() size=28 />
                        <a class="comment__author" href=format!("/u/{}", a.handle)>{a.display_name.clone()}</a>
                        <span class="muted comment__time">{move || format_datetime(at, l.get())}</span>
                    </div>
                }.into_any(),
                None => view! { <p class="comment__deleted muted">{tr!("Comment deleted", "Комментарий удалён")}</p> }.into_any(),
            }}
            <Show when=move || !editing.get() fallback={
                let body = body.clone();
                move || {
                    let text = body.clone();
                    view! {
                    <ActionForm action=edit attr:class="form comment-form">
                        <input type="hidden" name="id" value=id />
                        <label class="visually-hidden" for=format!("edit-{id}")>{tr!("Edit the comment", "Изменить комментарий")}</label>
                        <textarea id=format!("edit-{id}") name="body" rows="3">{text}</textarea>
                        <button type="submit" class="button button--small">{tr!("Save", "Сохранить")}</button>
                    </ActionForm>
                    }
                }
            }>
                <div class="comment__body" inner_html=comment.body_html.clone()></div>
            </Show>
            {(!comment.deleted).then(|| view! {
                <div class="comment__actions">
                    <LikeButton liked=comment.liked count=comment.likes_count send=send_like state=like_state small=true />
                    <Show when=move || user.get().is_some()>
                        <button type="button" class="link-button" on:click=move |_| replying.update(|r| *r = !*r)>{tr!("Reply", "Ответить")}</button>
                    </Show>
                    {comment.is_mine.then(|| view! {
                        <button type="button" class="link-button" on:click=move |_| editing.update(|e| *e = !*e)>{tr!("Edit", "Изменить")}</button>
                        <button type="button" class="link-button link-button--danger" on:click=move |_| { delete.dispatch(DeleteComment { id }); }>{tr!("Delete", "Удалить")}</button>
                    })}
                </div>
            })}
            <Show when=move || replying.get()>
                <ActionForm action=reply attr:class="form comment-form" attr:novalidate=true>
                    <input type="hidden" name="post" value=post_id />
                    <input type="hidden" name="parent" value=id />
                    <label for=format!("reply-{id}")>{tr!("Your reply", "Ваш ответ")}</label>
                    <textarea id=format!("reply-{id}") name="body" rows="2" maxlength="2000"></textarea>
                    <FormError msg=crate::ui::form_error(reply_value, &[]) />
                    <button type="submit" class="button button--small">{tr!("Reply", "Ответить")}</button>
                </ActionForm>
            </Show>
            <Show when=move || { replies.get() > 0 }>
                {move || if deep {
                    view! { <a class="link-button" href=format!("/posts/{post_id}?thread={id}")>{tr!("Continue thread →", "Продолжение ветки →")}</a> }.into_any()
                } else if show_replies.get() {
                    view! { <CommentThread post_id parent=id depth_base /> }.into_any()
                } else {
                    view! {
                        <button type="button" class="link-button" on:click=move |_| show_replies.set(true)>
                            {move || match l.get() {
                                Locale::En => format!("Show replies ({})", replies.get()),
                                Locale::Ru => format!("Показать ответы ({})", replies.get()),
                            }}
                        </button>
                    }.into_any()
                }}
            </Show>
        </li>
    }
}
