//! The Tutorium server: builds the application state and the HTTP router.
//! `main.rs` adds the command line (serve, migrate, demo, user grant).

pub mod assets;
pub mod compress;
pub mod demo;
pub mod middleware;
pub mod page_cache;
pub mod seed;

use anyhow::Context;
use app::server::{AppState, config::Config, db::Db, hooks::Hooks, mail::Mailer, storage::Storage};
use app::{App, shell};
use axum::Router;
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::sync::Arc;

/// Connects to the database, runs migrations and builds the state with every feature's hooks.
pub async fn build_state(
    config: Config,
    leptos_options: LeptosOptions,
) -> anyhow::Result<AppState> {
    build_state_with(config, leptos_options, app::wiring::hooks()).await
}

/// [`build_state`] with the given hooks (tests add job kinds of their own).
pub async fn build_state_with(
    config: Config,
    leptos_options: LeptosOptions,
    hooks: Hooks,
) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database_url)
        .await
        .with_context(|| "connecting to the database (DATABASE_URL)")?;
    db.migrate().await.context("running migrations")?;
    let storage =
        Storage::from_config(&config).context("opening media storage (MEDIA_DIR or S3_*)")?;
    let mailer = Mailer::new(&config).context("setting up mail (SMTP_URL / OUTBOX_DIR)")?;
    let signer = app::server::signing::Signer::from_config(&config).context("media signing key")?;
    std::fs::create_dir_all(config.uploads_dir()).context("creating the uploads folder")?;
    let bus = app::server::bus::Bus::new(db.backend());
    Ok(AppState {
        db,
        config: Arc::new(config),
        storage,
        mailer,
        signer,
        counts: app::server::cache::TtlCache::new(),
        pages: app::server::cache::TtlCache::new(),
        streams: Default::default(),
        bus,
        hooks: Arc::new(hooks),
        leptos_options,
    })
}

/// Leptos options from LEPTOS_* variables (set by cargo-leptos), with the defaults of this project.
pub fn leptos_options(site_addr: Option<std::net::SocketAddr>) -> anyhow::Result<LeptosOptions> {
    let env = |k: &str, d: &str| std::env::var(k).unwrap_or_else(|_| d.to_string());
    let addr = match site_addr {
        Some(a) => a,
        None => env("LEPTOS_SITE_ADDR", "127.0.0.1:3000")
            .parse()
            .context("LEPTOS_SITE_ADDR")?,
    };
    Ok(LeptosOptions::builder()
        .output_name(env("LEPTOS_OUTPUT_NAME", "tutorium"))
        .site_root(env("LEPTOS_SITE_ROOT", "target/site"))
        .site_pkg_dir(env("LEPTOS_SITE_PKG_DIR", "pkg"))
        .site_addr(addr)
        .build())
}

/// The app's page routes, generated once per process. Generating them raises Leptos's
/// process-wide "suppress resource loads" flag, and a resource first polled meanwhile (a page
/// being rendered on another thread) waits forever (leptos-rs/leptos#4773): the integration
/// tests, which start apps beside others that are serving, saw pages hang until timeout.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let options = state.leptos_options.clone();
    let page_context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            middleware::set_page_csp();
        }
    };
    let fn_context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let server_fns = {
        let fn_context = fn_context.clone();
        move |req: axum::extract::Request| {
            let fn_context = fn_context.clone();
            async move { leptos_axum::handle_server_fns_with_context(fn_context, req).await }
        }
    };
    let router = Router::new()
        .merge(app::wiring::routes(&state))
        .route("/api/{*fn_name}", get(server_fns.clone()).post(server_fns))
        .leptos_routes_with_context(&state, routes, page_context, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .route(
            "/media/{*key}",
            get(app::server::media::serve).head(app::server::media::serve),
        )
        .route("/robots.txt", get(app::seo::robots))
        .route("/sitemap.xml", get(app::seo::sitemap))
        .route("/healthz", get(middleware::healthz))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(fn_context, shell));
    app::wiring::layers(router, &state)
        .layer(axum::middleware::from_fn(middleware::server_fn_status))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::session,
        ))
        .layer(axum::middleware::from_fn(middleware::same_origin))
        // Visitors' pages served again while nothing was written (`page_cache`), before the
        // session lookup (a request with a session passes through) and before compression (each
        // answer has its own CSP nonce).
        .layer(axum::middleware::from_fn_with_state(
            page_cache::PageCache::new(&state),
            page_cache::serve,
        ))
        // Pages and server-function answers are compressed whole, at a level meant for dynamic
        // responses (`compress`); tower-http's layer compresses the rest (it leaves a response
        // with a Content-Encoding alone).
        .layer(axum::middleware::from_fn(compress::dynamic))
        .layer(tower_http::compression::CompressionLayer::new().compress_when(compressible()))
        .layer(axum::middleware::from_fn_with_state(
            assets::Assets::load(std::path::Path::new(options.site_root.as_ref())),
            assets::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// The span of a request in the log: method and path, not the query (a reset link's token, a
/// signed media link's expiry, search words).
fn request_span(req: &axum::extract::Request) -> tracing::Span {
    tracing::debug_span!("request", method = %req.method(), path = %req.uri().path())
}

/// What the response compression applies to: not video, not already-compressed media, not
/// event streams (and never responses to Range requests, which would break byte offsets).
fn compressible() -> impl tower_http::compression::Predicate {
    use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
    DefaultPredicate::new()
        .and(NotForContentType::const_new("video/"))
        .and(NotForContentType::const_new("application/octet-stream"))
        .and(NotForContentType::const_new(
            "application/vnd.apple.mpegurl",
        ))
        .and(NotForContentType::const_new("text/vtt"))
        // PDF streams are compressed already, and Range offsets must stay byte offsets.
        .and(NotForContentType::const_new("application/pdf"))
}

/// Deletes expired sessions, used reset links and old rate-limit windows, hourly.
pub fn spawn_housekeeping(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let now = app::server::now_ms();
            let idle = state.config.session_idle_days * 24 * 3600 * 1000;
            let a = app::accounts::db::delete_expired(&state.db, now, idle).await;
            let b = app::server::rate_limit::purge(&state.db, now).await;
            let _ = app::server::jobs::purge_done(&state.db, 7 * 24 * 3600 * 1000).await;
            if let Err(e) = app::video::upload::purge_stale(&state).await {
                tracing::warn!(error = %e, "removing abandoned uploads failed");
            }
            match (a, b) {
                (Ok(a), Ok(b)) => tracing::debug!(rows = a + b, "housekeeping done"),
                (Err(e), _) | (_, Err(e)) => tracing::warn!(error = %e, "housekeeping failed"),
            }
        }
    });
}

/// Serves until Ctrl-C / SIGTERM.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    spawn_housekeeping(state.clone());
    state.bus.start(&state.db, &state.config.database_url);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    if state.config.worker_in_server {
        tokio::spawn(app::server::worker::run(state.clone(), stop.clone()));
    }
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
