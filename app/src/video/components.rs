//! The video player and the uploader.
//!
//! The player is a `<video>` with a poster, progressive MP4 sources and caption tracks, so it
//! plays without JavaScript (native controls). After hydration it takes over with its own
//! controls: play/pause, seek (with thumbnail previews), volume, speed, quality (auto and each
//! rendition), captions, full screen and keyboard keys; it streams the HLS ladder (natively, or
//! with hls.js where the browser lacks HLS) and remembers the position of signed-in viewers.

use super::{VideoView, format_duration};
use crate::error::Msg;
use crate::i18n::use_i18n;
use crate::tr;
use crate::video::VideoMsg;
use leptos::prelude::*;

/// Starts playback. The browser's promise for it rejects when a pause (or leaving the page)
/// interrupts the start; that is not an error, so it is awaited here instead of going unhandled.
fn play(video: &leptos::web_sys::HtmlVideoElement) {
    #[cfg(feature = "hydrate")]
    if let Ok(started) = video.play() {
        wasm_bindgen_futures::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(started).await;
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = video.play();
}

const SPEEDS: [f64; 6] = [0.5, 0.75, 1.0, 1.25, 1.5, 2.0];

#[cfg(feature = "hydrate")]
mod hls {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// hls.js (from npm), loaded by a `<script>` next to the player.
        pub type Hls;
        #[wasm_bindgen(constructor, js_class = "Hls", catch)]
        pub fn new(config: &JsValue) -> Result<Hls, JsValue>;
        #[wasm_bindgen(method, js_name = loadSource)]
        pub fn load_source(this: &Hls, url: &str);
        #[wasm_bindgen(method, js_name = attachMedia)]
        pub fn attach_media(this: &Hls, media: &web_sys::HtmlMediaElement);
        #[wasm_bindgen(method, getter)]
        pub fn levels(this: &Hls) -> js_sys::Array;
        #[wasm_bindgen(method, setter, js_name = currentLevel)]
        pub fn set_current_level(this: &Hls, level: i32);
        #[wasm_bindgen(method)]
        pub fn on(this: &Hls, event: &str, cb: &js_sys::Function);
        #[wasm_bindgen(method)]
        pub fn destroy(this: &Hls);
    }

    /// Loads hls.js once, by adding its `<script>` on first use (it is ~150 kB brotli, so pages
    /// do not fetch it up front); `then` runs once it has loaded (at once when it already has).
    pub fn load(then: impl FnOnce() + 'static) {
        if available() {
            then();
            return;
        }
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let script = match doc.get_element_by_id("hls-js") {
            Some(s) => s,
            None => {
                let Ok(s) = doc.create_element("script") else {
                    return;
                };
                s.set_id("hls-js");
                let _ = s.set_attribute("src", "/vendor/hls.min.js");
                let _ = s.set_attribute("async", "");
                if let Some(body) = doc.body() {
                    let _ = body.append_child(&s);
                }
                s
            }
        };
        let cb = Closure::once_into_js(then);
        let _ = script.add_event_listener_with_callback("load", cb.unchecked_ref());
    }

    /// Whether `window.Hls` is there and supported.
    pub fn available() -> bool {
        let Some(w) = web_sys::window() else {
            return false;
        };
        let Ok(h) = js_sys::Reflect::get(&w, &JsValue::from_str("Hls")) else {
            return false;
        };
        if h.is_undefined() {
            return false;
        }
        js_sys::Reflect::get(&h, &JsValue::from_str("isSupported"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .and_then(|f| f.call0(&h).ok())
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }
}

/// A quality choice: `None` is "auto" (adaptive HLS), `Some(i)` a rendition.
type Quality = Option<usize>;

#[component]
pub fn VideoPlayer(
    view: VideoView,
    #[prop(optional)] signed_in: bool,
    /// Receives (position, duration) in seconds instead of the per-video position store (course
    /// lessons keep their own progress); called every 10 s of playback, on pause and at the end.
    #[prop(optional)]
    on_progress: Option<Callback<(f64, f64)>>,
) -> impl IntoView {
    let l = use_i18n();
    let video_ref = NodeRef::<leptos::html::Video>::new();
    let figure_ref = NodeRef::<leptos::html::Figure>::new();
    let hydrated = RwSignal::new(false);
    let playing = RwSignal::new(false);
    let current = RwSignal::new(0.0f64);
    let duration = RwSignal::new(view.duration_ms as f64 / 1000.0);
    let volume = RwSignal::new(1.0f64);
    let muted = RwSignal::new(false);
    let rate = RwSignal::new(1.0f64);
    let quality = RwSignal::new(None::<usize>);
    let captions_on = RwSignal::new(false);
    let using_hls = RwSignal::new(false);
    let hover = RwSignal::new(None::<(f64, f64)>);
    let levels = RwSignal::new(Vec::<i64>::new());
    let error = RwSignal::new(None::<Msg>);
    let sources = StoredValue::new(view.sources.clone());
    let public_id = view.public_id.clone();
    let start_ms = view.start_ms;
    let hls_url = view.hls_url.clone();
    let thumbs = view.thumbs.clone();
    let has_captions = !view.captions.is_empty();
    // Default progressive source: the best one up to 720 lines (fast to start, good enough).
    let default_src = view
        .sources
        .iter()
        .rev()
        .find(|s| s.height <= 720)
        .or(view.sources.first())
        .map(|s| s.url.clone());

    #[cfg(not(feature = "hydrate"))]
    let _ = (&sources, &hls_url);
    #[cfg(feature = "hydrate")]
    let hls_handle: StoredValue<Option<hls::Hls>, leptos::prelude::LocalStorage> =
        StoredValue::new_local(None);

    // Streaming: browsers that play HLS themselves (Safari) get the HLS ladder at once; others
    // start on the progressive MP4 and switch to hls.js (loaded then) on the first play, at the
    // same position — pages with a player do not download hls.js unless someone plays.
    #[cfg(feature = "hydrate")]
    let hls_tried = StoredValue::new(false);
    Effect::new(move |prev: Option<()>| {
        #[cfg(not(feature = "hydrate"))]
        let _ = prev;
        #[cfg(feature = "hydrate")]
        if prev.is_none() {
            let Some(video) = video_ref.get() else { return };
            hydrated.set(true);
            if let Some(url) = &hls_url
                && !video
                    .can_play_type("application/vnd.apple.mpegurl")
                    .is_empty()
            {
                hls_tried.set_value(true);
                video.set_src(url);
                using_hls.set(true);
            }
        }
    });
    #[cfg(feature = "hydrate")]
    let start_hls = {
        let hls_url = view.hls_url.clone();
        move || {
            if hls_tried.get_value() || quality.get_untracked().is_some() {
                return;
            }
            hls_tried.set_value(true);
            let Some(url) = hls_url.clone() else {
                return;
            };
            hls::load(move || {
                let Some(video) = video_ref.get_untracked() else {
                    return;
                };
                if !hls::available() || quality.get_untracked().is_some() {
                    return;
                }
                let cfg = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&cfg, &"startLevel".into(), &0.into());
                let Ok(h) = hls::Hls::new(&cfg) else {
                    return;
                };
                // Where the MP4 was: attaching hls.js replaces the element's source.
                let at = video.current_time();
                let was_playing = !video.paused();
                h.load_source(&url);
                h.attach_media(&video);
                let on_manifest = wasm_bindgen::closure::Closure::<dyn FnMut()>::new({
                    let h2: hls::Hls =
                        wasm_bindgen::JsCast::unchecked_into(wasm_bindgen::JsValue::from(&*h));
                    let video = video.clone();
                    let mut first = true;
                    move || {
                        let hs: Vec<i64> = h2
                            .levels()
                            .iter()
                            .filter_map(|lv| js_sys::Reflect::get(&lv, &"height".into()).ok())
                            .filter_map(|v| v.as_f64())
                            .map(|v| v as i64)
                            .collect();
                        levels.set(hs);
                        if std::mem::take(&mut first) {
                            if at > 0.0 {
                                video.set_current_time(at);
                            }
                            if was_playing {
                                play(&video);
                            }
                        }
                    }
                });
                h.on(
                    "hlsManifestParsed",
                    wasm_bindgen::JsCast::unchecked_ref(on_manifest.as_ref()),
                );
                on_manifest.forget();
                hls_handle.set_value(Some(h));
                using_hls.set(true);
            });
        }
    };

    let save_position = {
        let id = public_id.clone();
        Callback::new(move |t: f64| {
            if let Some(cb) = on_progress {
                cb.run((t, duration.get_untracked()));
                return;
            }
            #[cfg(feature = "hydrate")]
            if signed_in {
                let id = id.clone();
                leptos::task::spawn_local(async move {
                    let _ = super::api::save_video_position(id, (t * 1000.0) as i64).await;
                });
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = (&id, signed_in, t);
        })
    };
    let last_saved = RwSignal::new(0.0f64);

    let toggle_play = move || {
        if let Some(v) = video_ref.get_untracked() {
            if v.paused() {
                play(&v);
            } else {
                let _ = v.pause();
            }
        }
    };
    let seek_to = move |t: f64| {
        if let Some(v) = video_ref.get_untracked() {
            let d = duration.get_untracked();
            v.set_current_time(t.clamp(0.0, if d > 0.0 { d } else { t }));
        }
    };
    let set_volume = move |x: f64| {
        if let Some(v) = video_ref.get_untracked() {
            v.set_volume(x.clamp(0.0, 1.0));
            v.set_muted(x <= 0.0);
        }
    };
    let toggle_mute = move || {
        if let Some(v) = video_ref.get_untracked() {
            v.set_muted(!v.muted());
        }
    };
    let toggle_captions = move || {
        #[cfg(feature = "hydrate")]
        if let Some(v) = video_ref.get_untracked() {
            let on = !captions_on.get_untracked();
            let Some(tracks) = v.text_tracks() else {
                return;
            };
            for i in 0..tracks.length() {
                if let Some(t) = tracks.get(i) {
                    t.set_mode(if on && i == 0 {
                        web_sys::TextTrackMode::Showing
                    } else {
                        web_sys::TextTrackMode::Hidden
                    });
                }
            }
            captions_on.set(on);
        }
    };
    let toggle_fullscreen = move || {
        #[cfg(feature = "hydrate")]
        if let Some(f) = figure_ref.get_untracked() {
            let doc = web_sys::window().and_then(|w| w.document());
            if doc.as_ref().and_then(|d| d.fullscreen_element()).is_some() {
                if let Some(d) = doc {
                    d.exit_fullscreen();
                }
            } else {
                let _ = f.request_fullscreen();
            }
        }
    };
    let choose_quality = move |q: Quality| {
        quality.set(q);
        #[cfg(feature = "hydrate")]
        {
            if using_hls.get_untracked() {
                let level = q.map(|i| i as i32).unwrap_or(-1);
                hls_handle.with_value(|h| {
                    if let Some(h) = h {
                        h.set_current_level(level);
                    }
                });
                return;
            }
            let Some(v) = video_ref.get_untracked() else {
                return;
            };
            let url = sources.with_value(|s| match q {
                Some(i) => s.get(i).map(|x| x.url.clone()),
                None => s
                    .iter()
                    .rev()
                    .find(|x| x.height <= 720)
                    .or(s.first())
                    .map(|x| x.url.clone()),
            });
            if let Some(url) = url {
                let t = v.current_time();
                let was_playing = !v.paused();
                v.set_src(&url);
                v.set_current_time(t);
                if was_playing {
                    play(&v);
                }
            }
        }
    };

    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let handled = match ev.key().as_str() {
            " " | "k" | "K" => {
                toggle_play();
                true
            }
            "ArrowLeft" => {
                seek_to(current.get_untracked() - 5.0);
                true
            }
            "ArrowRight" => {
                seek_to(current.get_untracked() + 5.0);
                true
            }
            "ArrowUp" => {
                set_volume(volume.get_untracked() + 0.1);
                true
            }
            "ArrowDown" => {
                set_volume(volume.get_untracked() - 0.1);
                true
            }
            "f" | "F" => {
                toggle_fullscreen();
                true
            }
            "m" | "M" => {
                toggle_mute();
                true
            }
            "c" | "C" if has_captions => {
                toggle_captions();
                true
            }
            _ => false,
        };
        // Keys typed into the controls' own inputs keep their usual meaning.
        let in_input = ev
            .target()
            .and_then(|t| {
                leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(t).ok()
            })
            .is_some_and(|e| e.tag_name() == "INPUT" || e.tag_name() == "SELECT");
        if handled && !in_input {
            ev.prevent_default();
        }
    };

    let thumb_style = Signal::derive(move || {
        let (x, t) = hover.get()?;
        let th = thumbs.clone()?;
        let idx = ((t * 1000.0) as i64 / th.interval_ms.max(1)).clamp(0, th.count - 1);
        Some(format!(
            "left:{x:.0}px;width:{}px;height:{}px;background-image:url({});background-position:-{}px 0",
            th.width,
            th.height,
            th.url,
            idx * th.width
        ))
    });

    let poster = view.poster_url.clone();
    let captions = view.captions.clone();
    let sources_for_menu = StoredValue::new(view.sources.clone());
    view! {
        <figure class="player" node_ref=figure_ref tabindex="0" on:keydown=on_key
            aria-label=tr!("Video player", "Видеоплеер")
            class:player--playing=move || playing.get()>
            <div class="player__stage">
                <video
                    class="player__video"
                    node_ref=video_ref
                    poster=poster
                    preload="metadata"
                    playsinline=true
                    controls=move || !hydrated.get()
                    on:click=move |_| toggle_play()
                    on:play=move |_| {
                        playing.set(true);
                        #[cfg(feature = "hydrate")]
                        start_hls();
                    }
                    on:pause=move |_| {
                        playing.set(false);
                        if let Some(v) = video_ref.get_untracked() {
                            save_position.run(v.current_time());
                        }
                    }
                    on:ended=move |_| save_position.run(if on_progress.is_some() { duration.get_untracked() } else { 0.0 })
                    on:timeupdate=move |_| {
                        if let Some(v) = video_ref.get_untracked() {
                            let t = v.current_time();
                            current.set(t);
                            if (t - last_saved.get_untracked()).abs() >= 10.0 {
                                last_saved.set(t);
                                save_position.run(t);
                            }
                        }
                    }
                    on:loadedmetadata=move |_| {
                        if let Some(v) = video_ref.get_untracked() {
                            let d = v.duration();
                            if d.is_finite() && d > 0.0 {
                                duration.set(d);
                            }
                            let s = start_ms as f64 / 1000.0;
                            if s > 1.0 && s < duration.get_untracked() - 5.0 && v.current_time() < 0.5 {
                                v.set_current_time(s);
                            }
                        }
                    }
                    on:volumechange=move |_| {
                        if let Some(v) = video_ref.get_untracked() {
                            volume.set(v.volume());
                            muted.set(v.muted());
                        }
                    }
                    on:ratechange=move |_| {
                        if let Some(v) = video_ref.get_untracked() {
                            rate.set(v.playback_rate());
                        }
                    }
                    on:error=move |_| error.set(Some(Msg::Video(VideoMsg::NotReady)))
                >
                    {default_src.map(|s| view! { <source src=s type="video/mp4" /> })}
                    {captions.into_iter().map(|c| view! {
                        <track kind="captions" srclang=c.lang.clone() label=c.label.clone() src=c.url.clone() />
                    }).collect_view()}
                </video>
            </div>
            <Show when=move || hydrated.get()>
                <div class="player__controls">
                    <button type="button" class="player__button" on:click=move |_| toggle_play()
                        aria-label=move || if playing.get() { l.get().pick("Pause", "Пауза") } else { l.get().pick("Play", "Смотреть") }>
                        {move || if playing.get() { icon("M7 5h4v14H7zM13 5h4v14h-4z") } else { icon("M8 5v14l11-7z") }}
                    </button>
                    <span class="player__time" aria-live="off">
                        {move || format!("{} / {}", format_duration((current.get() * 1000.0) as i64), format_duration((duration.get() * 1000.0) as i64))}
                    </span>
                    <div class="player__seek">
                        <input type="range" min="0" step="0.1"
                            max=move || format!("{:.1}", duration.get())
                            prop:value=move || format!("{:.1}", current.get())
                            aria-label=tr!("Seek", "Перемотка")
                            aria-valuetext=move || format_duration((current.get() * 1000.0) as i64)
                            on:input=move |ev| {
                                if let Ok(t) = event_target_value(&ev).parse::<f64>() {
                                    seek_to(t);
                                }
                            }
                            on:mousemove=move |ev| {
                                #[cfg(feature = "hydrate")]
                                if let Some(el) = ev.target().and_then(|t| leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlElement>(t).ok()) {
                                    let r = el.get_bounding_client_rect();
                                    let x = ev.client_x() as f64 - r.left();
                                    let frac = (x / r.width()).clamp(0.0, 1.0);
                                    hover.set(Some((x, frac * duration.get_untracked())));
                                }
                                #[cfg(not(feature = "hydrate"))]
                                let _ = ev;
                            }
                            on:mouseleave=move |_| hover.set(None)
                        />
                        {move || thumb_style.get().map(|s| view! { <span class="player__preview" style=s aria-hidden="true"></span> })}
                    </div>
                    <button type="button" class="player__button" on:click=move |_| toggle_mute()
                        aria-label=move || if muted.get() { l.get().pick("Unmute", "Включить звук") } else { l.get().pick("Mute", "Выключить звук") }>
                        {move || if muted.get() || volume.get() == 0.0 {
                            icon("M4 9v6h4l5 4V5L8 9H4zm12.6 3 2.7-2.7-1.4-1.4-2.7 2.7-2.7-2.7-1.4 1.4 2.7 2.7-2.7 2.7 1.4 1.4 2.7-2.7 2.7 2.7 1.4-1.4z")
                        } else {
                            icon("M4 9v6h4l5 4V5L8 9H4zm11.5 3A4.5 4.5 0 0 0 13 8v8a4.5 4.5 0 0 0 2.5-4z")
                        }}
                    </button>
                    <input type="range" class="player__volume" min="0" max="1" step="0.05"
                        prop:value=move || format!("{:.2}", if muted.get() { 0.0 } else { volume.get() })
                        aria-label=tr!("Volume", "Громкость")
                        on:input=move |ev| {
                            if let Ok(x) = event_target_value(&ev).parse::<f64>() {
                                set_volume(x);
                            }
                        } />
                    <label class="player__select">
                        <span class="visually-hidden">{tr!("Speed", "Скорость")}</span>
                        <select aria-label=tr!("Speed", "Скорость") on:change=move |ev| {
                            if let (Ok(r), Some(v)) = (event_target_value(&ev).parse::<f64>(), video_ref.get_untracked()) {
                                v.set_playback_rate(r);
                            }
                        }>
                            {SPEEDS.iter().map(|s| {
                                let s = *s;
                                view! { <option value=s.to_string() selected=move || (rate.get() - s).abs() < 0.01>{format!("{s}×")}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="player__select">
                        <span class="visually-hidden">{tr!("Quality", "Качество")}</span>
                        <select aria-label=tr!("Quality", "Качество") on:change=move |ev| {
                            let v = event_target_value(&ev);
                            choose_quality(v.parse::<usize>().ok());
                        }>
                            <option value="auto" selected=move || quality.get().is_none()>{tr!("Auto", "Авто")}</option>
                            {move || {
                                let hs = levels.get();
                                let names: Vec<(usize, String)> = if using_hls.get() && !hs.is_empty() {
                                    hs.iter().enumerate().map(|(i, h)| (i, format!("{h}p"))).collect()
                                } else {
                                    sources_for_menu.with_value(|v| v.iter().enumerate().map(|(i, s)| (i, format!("{}p", s.height))).collect())
                                };
                                names.into_iter().map(|(i, n)| view! {
                                    <option value=i.to_string() selected=move || quality.get() == Some(i)>{n}</option>
                                }).collect_view()
                            }}
                        </select>
                    </label>
                    {has_captions.then(|| view! {
                        <button type="button" class="player__button" aria-pressed=move || captions_on.get().to_string()
                            on:click=move |_| toggle_captions()
                            aria-label=tr!("Captions", "Субтитры")>"CC"</button>
                    })}
                    <button type="button" class="player__button" on:click=move |_| toggle_fullscreen()
                        aria-label=tr!("Full screen", "Во весь экран")>
                        {icon("M4 4h6v2H6v4H4zm10 0h6v6h-2V6h-4zM4 14h2v4h4v2H4zm14 0h2v6h-6v-2h4z")}
                    </button>
                </div>
            </Show>
            {move || error.get().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
        </figure>
    }
}

/// A 24×24 icon from one SVG path.
fn icon(d: &'static str) -> impl IntoView {
    view! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path fill="currentColor" d=d /></svg>
    }
}

/// Upload state shown under the file picker.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UploadState {
    pub name: String,
    pub total: f64,
    pub sent: f64,
    /// Bytes per second (smoothed).
    pub speed: f64,
    pub resumed_from: f64,
    pub retrying: bool,
    pub done: bool,
}

/// Picks a video and uploads it resumably (tus) with a real progress bar.
#[component]
pub fn VideoUploader(max_bytes: u64, max_seconds: u64, on_done: Callback<String>) -> impl IntoView {
    let l = use_i18n();
    let state = RwSignal::new(None::<UploadState>);
    let error = RwSignal::new(None::<Msg>);
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let busy = RwSignal::new(false);
    let start = move || {
        #[cfg(feature = "hydrate")]
        {
            let Some(input) = input_ref.get_untracked() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            input.set_value("");
            error.set(None);
            if file.size() <= 0.0 {
                error.set(Some(Msg::Video(VideoMsg::Empty)));
                return;
            }
            if file.size() > max_bytes as f64 {
                error.set(Some(Msg::Video(VideoMsg::TooBig {
                    max_mb: (max_bytes / (1024 * 1024)) as u32,
                })));
                return;
            }
            busy.set(true);
            leptos::task::spawn_local(async move {
                let r = tus::upload(file, state, error).await;
                busy.set(false);
                if let Some(id) = r {
                    on_done.run(id);
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (&input_ref, &busy, max_bytes, &on_done);
    };
    let limits = move || {
        let gb = max_bytes as f64 / (1u64 << 30) as f64;
        let gb = if (gb - gb.round()).abs() < 0.05 {
            format!("{}", gb.round())
        } else {
            format!("{gb:.1}")
        };
        let hours = max_seconds / 3600;
        match l.get() {
            crate::i18n::Locale::En => format!(
                "MP4, MOV, WebM, MKV and other video files, up to {gb} GB and {hours} hours."
            ),
            crate::i18n::Locale::Ru => {
                format!("MP4, MOV, WebM, MKV и другие видеофайлы, до {gb} ГБ и {hours} ч.")
            }
        }
    };
    view! {
        <div class="uploader">
            <label class="button" for="video-file">{tr!("Choose a video", "Выбрать видео")}</label>
            <input id="video-file" class="visually-hidden" type="file" accept="video/*"
                aria-label=tr!("Video file", "Видеофайл")
                node_ref=input_ref disabled=move || busy.get() on:change=move |_| start() />
            <p class="field__hint">{limits}</p>
            {move || state.get().map(|s| {
                let pct = if s.total > 0.0 { s.sent / s.total * 100.0 } else { 0.0 };
                let left = if s.speed > 0.0 { ((s.total - s.sent) / s.speed) as i64 } else { -1 };
                let lc = l.get();
                let mb = |b: f64| format!("{:.1}", b / 1_048_576.0);
                view! {
                    <div class="uploader__progress">
                        <p class="uploader__name">{s.name.clone()}</p>
                        <progress max="100" value=format!("{pct:.1}")
                            aria-label=lc.pick("Upload progress", "Ход загрузки")></progress>
                        <p class="uploader__stats" role="status">
                            {format!("{:.0}% · {} / {} {}", pct, mb(s.sent), mb(s.total), lc.pick("MB", "МБ"))}
                            {(s.speed > 0.0 && !s.done).then(|| format!(" · {} {} · {}", mb(s.speed), lc.pick("MB/s", "МБ/с"),
                                if left >= 0 { format!("{} {}", format_duration(left * 1000), lc.pick("left", "осталось")) } else { String::new() }))}
                            {(s.resumed_from > 0.0).then(|| format!(" · {} {} {}", lc.pick("resumed at", "продолжено с"), mb(s.resumed_from), lc.pick("MB", "МБ")))}
                            {s.retrying.then(|| format!(" · {}", lc.pick("connection lost, retrying…", "связь прервалась, пробуем снова…")))}
                            {s.done.then(|| format!(" · {}", lc.pick("uploaded", "загружено")))}
                        </p>
                    </div>
                }
            })}
            {move || error.get().map(|m| view! { <p class="field__error" role="alert">{m.text(l.get())}</p> })}
        </div>
    }
}

/// The browser side of the tus protocol: create or resume, then PATCH 8 MB chunks with XHR so
/// progress is reported byte by byte; on a dropped connection ask the server for its offset and
/// go on from there. The upload's address is kept in localStorage, so a reloaded tab resumes when
/// the same file is picked again.
#[cfg(feature = "hydrate")]
mod tus {
    use super::UploadState;
    use crate::error::{AppError, Msg};
    use futures::channel::oneshot;
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    const CHUNK: f64 = 8.0 * 1024.0 * 1024.0;

    struct Answer {
        status: u16,
        offset: Option<f64>,
        location: Option<String>,
        video_status: Option<String>,
        body: String,
    }

    async fn send(
        method: &str,
        url: &str,
        headers: &[(&str, String)],
        body: Option<&web_sys::Blob>,
        on_progress: Option<Box<dyn Fn(f64)>>,
    ) -> Option<Answer> {
        let xhr = web_sys::XmlHttpRequest::new().ok()?;
        xhr.open(method, url).ok()?;
        xhr.set_request_header("Tus-Resumable", "1.0.0").ok()?;
        xhr.set_request_header("Accept", "application/json").ok()?;
        for (k, v) in headers {
            xhr.set_request_header(k, v).ok()?;
        }
        let (tx, rx) = oneshot::channel::<bool>();
        let tx = std::rc::Rc::new(std::cell::RefCell::new(Some(tx)));
        let done = {
            let tx = tx.clone();
            Closure::<dyn FnMut()>::new(move || {
                if let Some(t) = tx.borrow_mut().take() {
                    let _ = t.send(true);
                }
            })
        };
        let failed = {
            let tx = tx.clone();
            Closure::<dyn FnMut()>::new(move || {
                if let Some(t) = tx.borrow_mut().take() {
                    let _ = t.send(false);
                }
            })
        };
        xhr.set_onload(Some(done.as_ref().unchecked_ref()));
        xhr.set_onerror(Some(failed.as_ref().unchecked_ref()));
        xhr.set_onabort(Some(failed.as_ref().unchecked_ref()));
        let progress_cb = on_progress.map(|f| {
            Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
                f(e.loaded())
            })
        });
        if let (Some(cb), Ok(up)) = (&progress_cb, xhr.upload()) {
            up.set_onprogress(Some(cb.as_ref().unchecked_ref()));
        }
        let sent = match body {
            Some(b) => xhr.send_with_opt_blob(Some(b)),
            None => xhr.send(),
        };
        if sent.is_err() {
            return None;
        }
        let ok = rx.await.unwrap_or(false);
        drop((done, failed, progress_cb));
        if !ok {
            return None;
        }
        let h = |n: &str| xhr.get_response_header(n).ok().flatten();
        Some(Answer {
            status: xhr.status().unwrap_or(0),
            offset: h("Upload-Offset").and_then(|v| v.parse().ok()),
            location: h("Location"),
            video_status: h("X-Video-Status"),
            body: xhr.response_text().ok().flatten().unwrap_or_default(),
        })
    }

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok()?
    }

    fn error_of(a: &Answer) -> Msg {
        serde_json::from_str::<AppError>(&a.body)
            .map(|e| e.msg())
            .unwrap_or(Msg::Internal)
    }

    fn b64(s: &str) -> String {
        const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let b = s.as_bytes();
        let mut out = String::new();
        for c in b.chunks(3) {
            let n = (c[0] as u32) << 16
                | (*c.get(1).unwrap_or(&0) as u32) << 8
                | *c.get(2).unwrap_or(&0) as u32;
            out.push(T[(n >> 18) as usize & 63] as char);
            out.push(T[(n >> 12) as usize & 63] as char);
            out.push(if c.len() > 1 {
                T[(n >> 6) as usize & 63] as char
            } else {
                '='
            });
            out.push(if c.len() > 2 {
                T[n as usize & 63] as char
            } else {
                '='
            });
        }
        out
    }

    async fn sleep(ms: i32) {
        let (tx, rx) = oneshot::channel::<()>();
        let cb = Closure::once_into_js(move || {
            let _ = tx.send(());
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms);
        }
        let _ = rx.await;
    }

    fn now() -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or(0.0)
    }

    /// Uploads `file`; returns the video's id once the server queued it.
    pub async fn upload(
        file: web_sys::File,
        state: RwSignal<Option<UploadState>>,
        error: RwSignal<Option<Msg>>,
    ) -> Option<String> {
        let total = file.size();
        let key = format!(
            "tutorium-upload:{}:{}:{}",
            file.name(),
            total,
            file.last_modified()
        );
        let mut url = storage().and_then(|s| s.get_item(&key).ok().flatten());
        let mut offset = 0.0;
        if let Some(u) = &url {
            match send("HEAD", u, &[], None, None).await {
                Some(a) if a.status == 200 && a.video_status.as_deref() == Some("uploading") => {
                    offset = a.offset.unwrap_or(0.0)
                }
                _ => url = None,
            }
        }
        let url = match url {
            Some(u) => u,
            None => {
                let meta = format!("filename {}", b64(&file.name()));
                let a = match send(
                    "POST",
                    "/api/videos/uploads",
                    &[
                        ("Upload-Length", format!("{total}")),
                        ("Upload-Metadata", meta),
                    ],
                    None,
                    None,
                )
                .await
                {
                    Some(a) => a,
                    None => {
                        error.set(Some(Msg::Network));
                        return None;
                    }
                };
                if a.status != 201 {
                    error.set(Some(error_of(&a)));
                    return None;
                }
                let u = a.location?;
                if let Some(s) = storage() {
                    let _ = s.set_item(&key, &u);
                }
                u
            }
        };
        let id = url.rsplit('/').next().unwrap_or("").to_string();
        state.set(Some(UploadState {
            name: file.name(),
            total,
            sent: offset,
            resumed_from: offset,
            ..Default::default()
        }));
        let mut failures = 0;
        let mut window: (f64, f64) = (now(), offset);
        while offset < total {
            let end = (offset + CHUNK).min(total);
            let Ok(chunk) = file.slice_with_f64_and_f64(offset, end) else {
                return None;
            };
            let base = offset;
            let progress: Box<dyn Fn(f64)> = Box::new(move |loaded: f64| {
                state.update(|s| {
                    if let Some(s) = s {
                        s.sent = base + loaded;
                        s.retrying = false;
                    }
                });
            });
            let a = send(
                "PATCH",
                &url,
                &[
                    ("Upload-Offset", format!("{offset}")),
                    ("Content-Type", "application/offset+octet-stream".into()),
                ],
                Some(&chunk),
                Some(progress),
            )
            .await;
            match a {
                Some(a) if a.status == 204 => {
                    failures = 0;
                    offset = a.offset.unwrap_or(end);
                    let t = now();
                    if t - window.0 > 500.0 {
                        let speed = (offset - window.1) / ((t - window.0) / 1000.0);
                        state.update(|s| {
                            if let Some(s) = s {
                                s.speed = if s.speed > 0.0 {
                                    s.speed * 0.6 + speed * 0.4
                                } else {
                                    speed
                                };
                            }
                        });
                        window = (t, offset);
                    }
                    state.update(|s| {
                        if let Some(s) = s {
                            s.sent = offset;
                        }
                    });
                    if a.video_status.as_deref() == Some("processing") {
                        break;
                    }
                }
                Some(a) if (400..500).contains(&a.status) && a.status != 409 && a.status != 423 => {
                    // Refused for good (not a video, truncated, …): nothing is kept.
                    if let Some(s) = storage() {
                        let _ = s.remove_item(&key);
                    }
                    state.set(None);
                    error.set(Some(error_of(&a)));
                    return None;
                }
                _ => {
                    // Dropped connection, server error or lost step: ask where to go on from.
                    failures += 1;
                    state.update(|s| {
                        if let Some(s) = s {
                            s.retrying = true;
                        }
                    });
                    sleep((500 * (1 << failures.min(6))).min(30_000)).await;
                    if let Some(h) = send("HEAD", &url, &[], None, None).await
                        && h.status == 200
                    {
                        offset = h.offset.unwrap_or(offset);
                        if h.video_status.as_deref() != Some("uploading") {
                            break;
                        }
                    }
                    if failures > 40 {
                        error.set(Some(Msg::Network));
                        return None;
                    }
                }
            }
        }
        if let Some(s) = storage() {
            let _ = s.remove_item(&key);
        }
        state.update(|s| {
            if let Some(s) = s {
                s.sent = total;
                s.done = true;
                s.retrying = false;
            }
        });
        Some(id)
    }
}
