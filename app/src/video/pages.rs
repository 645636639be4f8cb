//! The owner's video studio (upload, list with live processing progress, retry, delete), one
//! video's studio page (player, visibility, captions) and the public watch page.

use super::api::{
    DeleteCaptions, DeleteVideo, RetryVideo, SetVideoVisibility, get_video, list_my_videos,
    video_limits,
};
use super::components::{VideoPlayer, VideoUploader};
use super::{
    CAPTION_LANGUAGES, Progress, Status, VideoSummary, VideoView, format_bytes, format_duration,
};
use crate::error::{AppError, Msg};
use crate::i18n::{Locale, use_i18n};
use crate::layout::{ErrorPanel, use_user};
use crate::tr;
use crate::ui::{JsonLd, Load, LoginRequired, Seo, format_date, format_size};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn title(en: &'static str, ru: &'static str) -> Signal<String> {
    let l = use_i18n();
    Signal::derive(move || l.get().pick(en, ru).to_string())
}

/// Live processing progress over server-sent events (browser only).
fn watch_progress(id: String, progress: RwSignal<Progress>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        use wasm_bindgen::closure::Closure;
        let Ok(es) = web_sys::EventSource::new(&format!("/api/videos/{id}/events")) else {
            return;
        };
        let es2 = es.clone();
        let cb =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                if let Some(p) = e
                    .data()
                    .as_string()
                    .and_then(|d| serde_json::from_str::<Progress>(&d).ok())
                {
                    let finished = matches!(p.status, Status::Ready | Status::Failed);
                    progress.set(p);
                    if finished {
                        es2.close();
                    }
                }
            });
        let _ = es.add_event_listener_with_callback("progress", cb.as_ref().unchecked_ref());
        cb.forget();
        on_cleanup({
            let es = send_wrapper_es(es);
            move || es.with(|e| e.close())
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, progress);
}

#[cfg(feature = "hydrate")]
struct EsHandle(web_sys::EventSource);
#[cfg(feature = "hydrate")]
impl EsHandle {
    fn with(&self, f: impl FnOnce(&web_sys::EventSource)) {
        f(&self.0)
    }
}
#[cfg(feature = "hydrate")]
fn send_wrapper_es(es: web_sys::EventSource) -> send_wrapper::SendWrapper<EsHandle> {
    send_wrapper::SendWrapper::new(EsHandle(es))
}

fn status_text(s: Status, progress: i64, l: Locale) -> String {
    match s {
        Status::Uploading => l
            .pick("Upload not finished", "Загрузка не закончена")
            .to_string(),
        Status::Processing => match l {
            Locale::En => format!("Processing {progress}%"),
            Locale::Ru => format!("Обработка {progress}%"),
        },
        Status::Ready => l.pick("Ready", "Готово").to_string(),
        Status::Failed => l.pick("Failed", "Ошибка").to_string(),
    }
}

#[component]
fn VideoRow(video: VideoSummary, on_change: Callback<()>) -> impl IntoView {
    let l = use_i18n();
    let progress = RwSignal::new(Progress {
        status: video.status,
        progress: video.progress,
        error: video.error,
    });
    if video.status == Status::Processing {
        watch_progress(video.public_id.clone(), progress);
    }
    let delete = ServerAction::<DeleteVideo>::new();
    let retry = ServerAction::<RetryVideo>::new();
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(())))
            || matches!(retry.value().get(), Some(Ok(())))
        {
            on_change.run(());
        }
    });
    // When processing ends, the list is loaded again (poster, duration, size).
    Effect::new(move |prev: Option<Status>| {
        let s = progress.get().status;
        if prev == Some(Status::Processing) && s != Status::Processing {
            on_change.run(());
        }
        s
    });
    let id = video.public_id.clone();
    let id2 = id.clone();
    let id3 = id.clone();
    let href = format!("/studio/videos/{id}");
    let err = move || match (delete.value().get(), retry.value().get()) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e.msg()),
        _ => None,
    };
    view! {
        <li class="video-row" data-status=move || progress.get().status.code()>
            <a class="video-row__thumb" href=href.clone() tabindex="-1" aria-hidden="true">
                {video.poster_url.clone().map(|p| view! { <img src=p alt="" loading="lazy" /> })}
            </a>
            <div class="video-row__body">
                <a class="video-row__title" href=href>{video.title.clone()}</a>
                <p class="video-row__meta">
                    <span class="badge" data-testid="video-status">{move || { let p = progress.get(); status_text(p.status, p.progress, l.get()) }}</span>
                    {video.duration_ms.map(|d| view! { <span>{format_duration(d)}</span> })}
                    <span>{move || format_bytes(if video.storage_bytes > 0 { video.storage_bytes } else { video.size_bytes }, l.get())}</span>
                    <span>{move || if video.public { l.get().pick("Public", "Публичное") } else { l.get().pick("Private", "Личное") }}</span>
                </p>
                <Show when=move || progress.get().status == Status::Processing>
                    <progress max="100" value=move || progress.get().progress.to_string()
                        aria-label=tr!("Processing", "Обработка")></progress>
                </Show>
                {move || progress.get().error.filter(|_| progress.get().status == Status::Failed).map(|m| view! {
                    <p class="field__error" role="alert">{m.text(l.get())}</p>
                })}
                {move || err().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
            </div>
            <div class="video-row__actions">
                <Show when=move || progress.get().status == Status::Failed>
                    {
                        let id = id2.clone();
                        view! {
                            <button type="button" class="button button--ghost"
                                on:click=move |_| { retry.dispatch(RetryVideo { id: id.clone() }); }>
                                {tr!("Retry", "Повторить")}
                            </button>
                        }
                    }
                </Show>
                <button type="button" class="button button--ghost button--danger"
                    aria-label=move || format!("{} {}", l.get().pick("Delete", "Удалить"), video.title)
                    on:click=move |_| { delete.dispatch(DeleteVideo { id: id3.clone() }); }>
                    {tr!("Delete", "Удалить")}
                </button>
            </div>
        </li>
    }
}

/// "Storage: 1.2 GB of 10.0 GB used", with a meter.
#[component]
fn StorageMeter(used: i64, quota: i64) -> impl IntoView {
    let l = use_i18n();
    let text = move || {
        let (u, q) = (format_size(used, l.get()), format_size(quota, l.get()));
        match l.get() {
            Locale::En => format!("Storage: {u} of {q} used (videos and lesson files)."),
            Locale::Ru => format!("Хранилище: занято {u} из {q} (видео и файлы уроков)."),
        }
    };
    view! {
        <p class="muted studio__storage">
            <label>
                <span>{text}</span>" "
                <meter min="0" max=quota value=used high=quota.saturating_mul(9) / 10></meter>
            </label>
        </p>
    }
}

#[component]
pub fn StudioPage() -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let videos = Resource::new(move || refresh.get(), |_| list_my_videos(String::new()));
    // Loaded once: the uploader is not re-created when the list reloads, so its progress stays.
    // The limits fall back to the defaults: without them the uploader still shows.
    let setup = Resource::new(
        || (),
        |_| async {
            let me = crate::accounts::api::get_me().await?;
            Ok::<_, AppError>((me, video_limits().await.unwrap_or((2 << 30, 3 * 3600))))
        },
    );
    let storage = Resource::new(move || refresh.get(), |_| super::api::storage_use());
    let on_change = Callback::new(move |_: ()| refresh.update(|n| *n += 1));
    let on_done = Callback::new(move |_: String| refresh.update(|n| *n += 1));
    view! {
        <Seo title=title("My videos", "Мои видео") description=title("Upload and manage your videos.", "Загружайте видео и управляйте ими.")
            path="/studio/videos" noindex=true />
        <section class="page studio">
            <h1>{tr!("My videos", "Мои видео")}</h1>
            <Load resource=setup let:loaded>
                {match loaded {
                    (Some(u), (max_bytes, max_seconds)) if u.has(crate::accounts::Role::Tutor) => {
                        view! {
                            <section class="card">
                                <VideoUploader max_bytes max_seconds on_done />
                                <Load resource=storage transition=true quiet=true let:s>
                                    <StorageMeter used=s.used_bytes quota=s.quota_bytes />
                                </Load>
                            </section>
                        }.into_any()
                    }
                    (Some(_), _) => view! { <p class="notice">{tr!(
                        "Only tutors upload videos. Turn on “I teach” in your profile settings to become one.",
                        "Загружать видео могут репетиторы. Включите «Я преподаю» в настройках профиля."
                    )}</p> }.into_any(),
                    (None, _) => view! {
                        <LoginRequired text=tr!("Log in to upload videos.", "Войдите, чтобы загружать видео.") next="/studio/videos" />
                    }.into_any(),
                }}
            </Load>
            <Load resource=videos transition=true quiet_signed_out=true let:list>
                {if list.is_empty() {
                    view! { <p class="muted">{tr!("No videos yet.", "Видео пока нет.")}</p> }.into_any()
                } else {
                    view! {
                        <ul class="video-list">
                            {list.into_iter().map(|v| view! { <VideoRow video=v on_change /> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </Load>
        </section>
    }
}

#[component]
fn CaptionsManager(view: VideoView, on_change: Callback<()>) -> impl IntoView {
    let l = use_i18n();
    let error = RwSignal::new(None::<Msg>);
    let remove = ServerAction::<DeleteCaptions>::new();
    Effect::new(move |_| {
        if matches!(remove.value().get(), Some(Ok(()))) {
            on_change.run(());
        }
    });
    let id = view.public_id.clone();
    let action = format!("/api/videos/{id}/captions");
    let submit = {
        let action = action.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            #[cfg(feature = "hydrate")]
            {
                use wasm_bindgen::JsCast;
                let Some(form) = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
                else {
                    return;
                };
                let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                    return;
                };
                let action = action.clone();
                leptos::task::spawn_local(async move {
                    let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
                        return;
                    };
                    let _ = xhr.open_with_async("POST", &action, false);
                    let _ = xhr.set_request_header("Accept", "application/json");
                    let _ = xhr.send_with_opt_form_data(Some(&data));
                    let status = xhr.status().unwrap_or(0);
                    if status == 204 {
                        error.set(None);
                        form.reset();
                        on_change.run(());
                    } else {
                        let body = xhr.response_text().ok().flatten().unwrap_or_default();
                        error.set(Some(
                            serde_json::from_str::<AppError>(&body)
                                .map(|e| e.msg())
                                .unwrap_or(Msg::Internal),
                        ));
                    }
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = &action;
        }
    };
    view! {
        <section class="card settings__section">
            <h2>{tr!("Captions", "Субтитры")}</h2>
            <ul class="caption-list">
                {view.captions.iter().map(|c| {
                    let (id, lang) = (id.clone(), c.lang.clone());
                    view! {
                        <li>
                            <span>{c.label.clone()}</span>
                            <button type="button" class="button button--ghost button--danger"
                                on:click=move |_| { remove.dispatch(DeleteCaptions { id: id.clone(), lang: lang.clone() }); }>
                                {tr!("Remove", "Удалить")}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="form form--row" method="post" enctype="multipart/form-data" action=action on:submit=submit>
                <div class="field">
                    <label for="caption-lang">{tr!("Language", "Язык")}</label>
                    <select id="caption-lang" name="lang">
                        {CAPTION_LANGUAGES.iter().map(|(c, n)| view! { <option value=*c>{*n}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="caption-file">{tr!("WebVTT file", "Файл WebVTT")}</label>
                    <input id="caption-file" type="file" name="file" accept=".vtt,text/vtt" required=true />
                </div>
                <button type="submit" class="button">{tr!("Add captions", "Добавить субтитры")}</button>
            </form>
            {move || error.get().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
        </section>
    }
}

#[component]
pub fn VideoStudioPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let refresh = RwSignal::new(0u32);
    let video = Resource::new(move || (id(), refresh.get()), |(id, _)| get_video(id));
    let visibility = ServerAction::<SetVideoVisibility>::new();
    let delete = ServerAction::<DeleteVideo>::new();
    let on_change = Callback::new(move |_: ()| refresh.update(|n| *n += 1));
    Effect::new(move |_| {
        if matches!(visibility.value().get(), Some(Ok(()))) {
            refresh.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(()))) {
            let navigate = leptos_router::hooks::use_navigate();
            navigate("/studio/videos", Default::default());
        }
    });
    view! {
        <Seo title=title("Video", "Видео") description=title("Your video.", "Ваше видео.") path=format!("/studio/videos/{}", params.with_untracked(|p| p.get("id").unwrap_or_default())) noindex=true />
        <section class="page studio">
            <p><a href="/studio/videos">{tr!("← My videos", "← Мои видео")}</a></p>
            <Load resource=video let:v>
                {if !v.is_owner {
                    view! { <ErrorPanel error=AppError::NotFound /> }.into_any()
                } else {
                    let watch = format!("/videos/{}", v.public_id);
                    let (id_v, id_d) = (v.public_id.clone(), v.public_id.clone());
                    let public = v.public;
                    view! {
                        <h1>{v.title.clone()}</h1>
                        {if v.status == Status::Ready {
                            view! { <VideoPlayer view=v.clone() signed_in=true /> }.into_any()
                        } else {
                            view! { <p class="notice">{move || status_text(v.status, 0, use_i18n().get())}</p> }.into_any()
                        }}
                        <section class="card settings__section">
                            <h2>{tr!("Who can watch", "Кто может смотреть")}</h2>
                            <label class="switch">
                                <input type="checkbox" prop:checked=public
                                    on:change=move |ev| { visibility.dispatch(SetVideoVisibility { id: id_v.clone(), public: event_target_checked(&ev) }); } />
                                <span>{tr!("Public: anyone with the link, and posts", "Публичное: все, у кого есть ссылка, и публикации")}</span>
                            </label>
                            {public.then(|| view! { <p><a href=watch.clone()>{tr!("Open the watch page", "Открыть страницу просмотра")}</a></p> })}
                        </section>
                        <CaptionsManager view=v.clone() on_change />
                        <button type="button" class="button button--danger"
                            on:click=move |_| { delete.dispatch(DeleteVideo { id: id_d.clone() }); }>
                            {tr!("Delete the video", "Удалить видео")}
                        </button>
                    }.into_any()
                }}
            </Load>
        </section>
    }
}

fn video_json_ld(v: &VideoView, base: &str) -> serde_json::Value {
    let iso = |ms: i64| {
        let s = ms / 1000;
        format!("PT{}H{}M{}S", s / 3600, (s % 3600) / 60, s % 60)
    };
    let date = chrono::DateTime::from_timestamp_millis(v.created_at)
        .map(|d| d.to_rfc3339())
        .unwrap_or_default();
    serde_json::json!({
        "@context": "https://schema.org",
        "@type": "VideoObject",
        "name": v.title,
        "description": v.title,
        "thumbnailUrl": v.poster_url.as_ref().map(|p| format!("{base}{p}")),
        "uploadDate": date,
        "duration": iso(v.duration_ms),
        "contentUrl": v.sources.last().map(|s| format!("{base}{}", s.url)),
        "embedUrl": format!("{base}/videos/{}", v.public_id),
    })
}

/// The public watch page of a video.
#[component]
pub fn WatchPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let video = Resource::new(id, get_video);
    let user = use_user();
    // The page's metadata comes with the video: an error writes its own (`noindex`, no title).
    let error = move |e: AppError| {
        view! {
            <Seo title=Signal::derive(String::new) description=Signal::derive(String::new) path=format!("/videos/{}", params.with_untracked(|p| p.get("id").unwrap_or_default())) noindex=true />
            <ErrorPanel error=e />
        }
        .into_any()
    };
    view! {
        <Load resource=video error let:v>
            {
                let base = crate::ui::base_url();
                let json = video_json_ld(&v, &base);
                let t = v.title.clone();
                let l = use_i18n();
                let date = v.created_at;
                view! {
                    <Seo title=Signal::derive(move || t.clone()) description=Signal::derive(move || l.get().pick("A video on Tutorium.", "Видео в Tutorium.").to_string())
                        path=format!("/videos/{}", v.public_id) og_type="video.other" image=v.poster_url.clone().unwrap_or_default() noindex=!v.public />
                    <JsonLd data=json />
                    <article class="page watch">
                        <VideoPlayer view=v.clone() signed_in=user.get_untracked().is_some() />
                        <h1>{v.title.clone()}</h1>
                        <p class="muted">{move || format!("{} · {}", format_duration(v.duration_ms), format_date(date, l.get()))}</p>
                    </article>
                }
            }
        </Load>
    }
}
