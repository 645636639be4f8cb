//! Comment threads: a page of one level, the comment form, and each comment with its actions
//! and replies.

use super::LikeButton;
use crate::error::AppError;
use crate::feed::api::{AddComment, DeleteComment, EditComment, like_comment, list_comments};
use crate::feed::{Comment, LikeState, SHOWN_DEPTH};
use crate::i18n::{Locale, use_i18n};
use crate::layout::use_user;
use crate::tr;
use crate::ui::{Avatar, FormError, format_datetime};
use leptos::prelude::*;

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
                        <select aria-label=tr!("Sort comments", "Порядок комментариев")
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
    let like_state = RwSignal::new(None::<(u64, Result<LikeState, AppError>)>);
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
    let deep = depth >= SHOWN_DEPTH;
    let body = comment.body.clone();
    view! {
        <li class="comment" id=format!("comment-{id}") style=format!("--depth:{}", depth.min(SHOWN_DEPTH))>
            {match comment.author.clone() {
                Some(a) => view! {
                    <div class="comment__head">
                        <Avatar url=a.avatar_url.clone() name=a.display_name.clone() size=28 decorative=true />
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
